using System.Text.Json;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace BmesCds.Service.PatientData;

/// <summary>Builds the record from the prefetch the client sent.</summary>
public sealed class PrefetchRecordSource : IPatientRecordSource
{
    public Task<RecordResolution> ResolveAsync(HookRequest request, CancellationToken cancel)
    {
        Patient? patient = null;
        var resources = new List<Resource>();
        foreach (var (key, value) in request.Prefetch)
        {
            if (value.Kind != PrefetchValueKind.Resource)
            {
                continue;
            }

            foreach (var element in Flatten(value.Json))
            {
                var read = LenientFhirReader.Read(element);
                if (read.Resource is null)
                {
                    return Task.FromResult(new RecordResolution(null, new ProtocolError($"prefetch.{key}", read.Refusal!)));
                }

                if (read.Resource is Patient p)
                {
                    patient ??= p;
                }
                else
                {
                    resources.Add(read.Resource);
                }
            }
        }

        return Task.FromResult(new RecordResolution(new PatientRecord(patient, resources), null));
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement resource)
    {
        if (resource.GetProperty("resourceType").GetString() != "Bundle")
        {
            yield return resource;
            yield break;
        }

        if (resource.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.TryGetProperty("resource", out var inner) && inner.ValueKind == JsonValueKind.Object)
                {
                    yield return inner;
                }
            }
        }
    }
}
