using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>Writes Firely resources as FHIR JSON, for embedding in CDS Hooks JSON or answering with an OperationOutcome.</summary>
public static class FhirJson
{
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public static byte[] ToUtf8(Base resource, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Serializer.Serialize(resource, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static JsonElement ToElement(Base resource)
    {
        using var document = JsonDocument.Parse(ToUtf8(resource));
        return document.RootElement.Clone();
    }
}
