using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.Service.PatientData;

/// <summary>Reads every resource leniently; the first Patient is the patient.</summary>
public sealed class LenientRecordAssembler : IPatientRecordAssembler
{
    public RecordAssembly Assemble(IReadOnlyList<SourcedResource> resources)
    {
        Patient? patient = null;
        var others = new List<Resource>();
        foreach (var (source, json) in resources)
        {
            var read = LenientFhirReader.Read(json);
            switch (read.Resource)
            {
                case null:
                    return new RecordAssembly(null, source, read.Refusal);
                case Patient p:
                    patient ??= p;
                    break;
                default:
                    others.Add(read.Resource);
                    break;
            }
        }

        return new RecordAssembly(new PatientRecord(patient, others), null, null);
    }
}
