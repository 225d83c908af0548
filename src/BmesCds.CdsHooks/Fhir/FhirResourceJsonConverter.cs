using System.Text.Json;
using System.Text.Json.Serialization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// Writes a Firely resource inside CDS Hooks JSON (a suggestion action's `resource`) with Firely's serializer, straight
/// into the response writer: no intermediate bytes or document. Reading is not supported: requests are read by the
/// record walk and <see cref="LenientFhirReader"/>.
/// </summary>
public sealed class FhirResourceJsonConverter : JsonConverter<Resource>
{
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public override Resource Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("CDS Hooks responses are written, never read, by this converter.");

    public override void Write(Utf8JsonWriter writer, Resource value, JsonSerializerOptions options)
    {
        // The engine's proposals (and most draft orders) take the fast path; the same JSON either way.
        if (FhirPocoWriter.CanWrite(value))
        {
            FhirPocoWriter.Write(writer, value);
        }
        else
        {
            Serializer.Serialize(value, writer);
        }
    }
}
