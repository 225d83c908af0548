using BmesCds.CdsHooks.Requests;
using Task = System.Threading.Tasks.Task;

namespace BmesCds.Service.PatientData;

/// <summary>Builds the record from the prefetch the client sent.</summary>
public sealed class PrefetchRecordSource(IPatientRecordAssembler assembler) : IPatientRecordSource
{
    public Task<RecordResolution> ResolveAsync(HookRequest request, CancellationToken cancel)
    {
        var resources = request.Prefetch
            .Where(pair => pair.Value.Kind == PrefetchValueKind.Resource)
            .SelectMany(pair => BundleFlattener.Flatten($"prefetch.{pair.Key}", pair.Value.Json))
            .ToList();
        var assembly = assembler.Assemble(resources);
        return Task.FromResult(assembly.Record is null
            ? new RecordResolution(null, new ProtocolError(assembly.RefusedSource!, assembly.Refusal!))
            : new RecordResolution(assembly.Record, null));
    }
}
