using System.Buffers;
using System.Text;
using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.CdsHooks.Tests.Fhir;

/// <summary>
/// The fast POCO writer writes exactly what Firely's serializer writes, on every resource of the repository (samples,
/// their patients and answers, profile examples, sandbox captures) it takes, or leaves the resource to Firely.
/// </summary>
public class FhirPocoWriterTests
{
    private static readonly FhirJsonDeserializer Reader = new(new DeserializerSettings { Validator = null });
    private static readonly BaseFhirJsonSerializer Firely = new(ModelInfo.ModelInspector);

    [Test]
    public void Every_resource_the_fast_writer_writes_equals_what_firely_writes()
    {
        var written = 0;
        var total = 0;
        foreach (var (source, json) in FhirPocoReaderTests.Corpus())
        {
            total++;
            Reader.TryDeserializeResource(json.ToJsonString(), out var resource, out _);
            if (resource is null || !FhirPocoWriter.CanWrite(resource))
            {
                continue;
            }

            written++;
            Assert.That(Fast(resource), Is.EqualTo(Slow(resource)), $"{source}: {json["resourceType"]}/{json["id"]}");
        }

        Assert.That(total, Is.GreaterThan(300), "the corpus is the repository's samples");
        Assert.That(written, Is.GreaterThan(total / 2), $"the fast writer writes {written} of {total} resources itself");
    }

    [Test]
    public void The_engines_proposed_mri_is_written_by_the_fast_writer()
    {
        var request = new ServiceRequest
        {
            Meta = new Meta { Profile = ["https://bmes-cds.org/fhir/StructureDefinition/BmesMriServiceRequest"] },
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept("http://loinc.org", "36488-5", "MR Hip - left WO contrast", "MR Hip - left WO contrast"),
            Subject = new ResourceReference("Patient/p"),
            AuthoredOn = "2026-11-28T12:00:00Z",
            BodySite = [new CodeableConcept("http://snomed.info/sct", "24136001") { Extension = [new Extension("https://example.org/laterality", new CodeableConcept("http://snomed.info/sct", "7771000"))] }],
            Note = [new Annotation { Text = "Proposed" }],
        };
        Assert.That(FhirPocoWriter.CanWrite(request), Is.True);
        Assert.That(Fast(request), Is.EqualTo(Slow(request)));
    }

    [Test]
    public void What_the_fast_writer_does_not_know_is_left_to_firely()
    {
        var withPrimitiveExtension = new Condition { RecordedDateElement = new FhirDateTime("2026-01-01") };
        withPrimitiveExtension.RecordedDateElement.Extension.Add(new Extension("https://example.org/x", new FhirString("y")));
        var withDecimal = new Observation { Value = new Quantity(1.50m, "mg") };
        var withContained = new MedicationRequest { Contained = [new Medication { Id = "m" }] };
        var withEmptyElement = new Condition { Code = new CodeableConcept() };
        var withBase64 = new DiagnosticReport { PresentedForm = [new Attachment { Data = [1, 2, 3] }] };
        Assert.Multiple(() =>
        {
            Assert.That(FhirPocoWriter.CanWrite(withPrimitiveExtension), Is.False, "a primitive extension");
            Assert.That(FhirPocoWriter.CanWrite(withDecimal), Is.False, "a decimal");
            Assert.That(FhirPocoWriter.CanWrite(withContained), Is.False, "a contained resource");
            Assert.That(FhirPocoWriter.CanWrite(withEmptyElement), Is.False, "an empty element");
            Assert.That(FhirPocoWriter.CanWrite(withBase64), Is.False, "base64 data");
        });
    }

    private static string Fast(Resource resource) => Write(writer => FhirPocoWriter.Write(writer, resource));

    private static string Slow(Resource resource) => Write(writer => Firely.Serialize(resource, writer));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
