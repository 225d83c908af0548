using System.Text;
using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;

namespace BmesCds.Testing;

/// <summary>
/// A CDS Hooks request file read as the service reads it (the one parser, the prefetch planner, the record assembler),
/// offline: what the engine sees for that request.
/// </summary>
public static class HookRequests
{
    private static readonly Lazy<FhirJsonWalker> Walker = new(() => new FhirJsonWalker(new RecordInterest(Vocabulary.Terminology)));

    private static readonly Lazy<PatientRecordResolver> Resolver = new(() =>
        new PatientRecordResolver(new PrefetchPlanner(new PrefetchTemplateSet(Vocabulary.Terminology), new PrefetchOptions()), new PrefetchOptions()));

    /// <summary>A request body parsed for a service of <paramref name="hook"/>, with the default limits.</summary>
    public static Parsed<HookRequest> Parse(string json, HookKind hook) =>
        HookRequestParser.Parse(Encoding.UTF8.GetBytes(json), hook, new RequestLimits(), Walker.Value);

    public static EvaluationRequest ToEvaluation(string json, DateTimeOffset now)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var hook = HookOf(json);
        var parsed = HookRequestParser.Parse(bytes, hook, new RequestLimits(), Walker.Value);
        if (parsed.Error is { } error)
        {
            throw new InvalidOperationException($"The request is refused: {error}");
        }

        var request = parsed.Value!;
        var resolution = Resolver.Value.ResolveAsync(request, null, CancellationToken.None).GetAwaiter().GetResult();
        return resolution.Record is { } record
            ? new EvaluationRequest(request.Context, request.DraftOrders, record, now)
            : throw new InvalidOperationException($"The record is refused: {resolution.Error}");
    }

    /// <summary>The hook a request file names.</summary>
    public static HookKind HookOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return HookNames.Parse(document.RootElement.GetProperty("hook").GetString())
            ?? throw new InvalidOperationException("not a hook BmesCds answers");
    }
}
