using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Service.CdsServices;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// Notes what the record of the last hook call was built from: every resource found ("Type/id", sorted, each once),
/// whether the rules read it or not. Lets a test show that the prefetch path and the FHIR-server path hand the
/// engine the same facts.
/// </summary>
public sealed class RecordingAssembler : IHookCallObserver
{
    public IReadOnlyList<string>? Last { get; private set; }

    public void OnCompleted(CdsServiceDefinition service, HookOutcome outcome)
    {
        if (outcome.Record is not { } record || (record.Error is not null && record.Assembly is null))
        {
            return;
        }

        Last = record.Sources
            .SelectMany(source => source.Found.Select(found => $"{found.Type}/{found.Id(source.Buffer.Span) ?? "?"}"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Takes the last record and forgets it, so a call that never assembled shows as null.</summary>
    public IReadOnlyList<string>? Take()
    {
        var last = Last;
        Last = null;
        return last;
    }
}
