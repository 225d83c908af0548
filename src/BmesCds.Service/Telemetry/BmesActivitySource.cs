using System.Diagnostics;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// The service's spans (README "Traces"): one per hook call, under the ASP.NET Core request span (which continues the
/// EHR's W3C traceparent), with a child per FHIR fetch and one for the engine's evaluation. Attributes are ids and
/// fixed words only: never the fhirServer URL (it holds the patient id), a token or any resource. When nothing
/// listens (no trace exporter configured) every method returns null and costs a flag check.
/// </summary>
public static class BmesActivitySource
{
    /// <summary>The ActivitySource name, for <c>AddSource</c>.</summary>
    public const string Name = PipelineActivities.SourceName;

    public const string HookSpan = "bmes_cds.hook";
    public const string FetchSpan = "bmes_cds.fhir.fetch";

    /// <summary>The engine's span, started by the pipeline itself (same source name).</summary>
    public const string EvaluationSpan = PipelineActivities.EvaluationSpan;

    private static readonly ActivitySource Source = new(Name);

    /// <summary>Attribute names.</summary>
    public static class Attributes
    {
        public const string Service = "cds.service";
        public const string Hook = "cds.hook";
        public const string HookInstance = "cds.hook_instance";
        public const string Cards = "cds.cards";
        public const string StatusCode = "http.response.status_code";
        public const string PrefetchKey = "cds.prefetch.key";
        public const string FetchOutcome = "fhir.fetch.outcome";
        public const string FetchPages = "fhir.fetch.pages";
        public const string FetchResources = "fhir.fetch.resources";
    }

    /// <summary>Starts the span of one service call; dispose it when the answer is written.</summary>
    public static Activity? StartHook(CdsServiceDefinition service)
    {
        var activity = Source.StartActivity(HookSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Attributes.Service, service.Id);
            activity.SetTag(Attributes.Hook, HookNames.Of(service.Hook));
        }

        return activity;
    }

    /// <summary>The hookInstance of the call, once the request is parsed (null when it could not be).</summary>
    public static void Identify(Activity? hook, string? hookInstance)
    {
        if (hook is { IsAllDataRequested: true } && hookInstance is not null)
        {
            hook.SetTag(Attributes.HookInstance, hookInstance);
        }
    }

    /// <summary>The call's answer: its status and card count; a 5xx marks the span as an error.</summary>
    public static void Answered(Activity? hook, int status, int cards)
    {
        if (hook is not { IsAllDataRequested: true })
        {
            return;
        }

        hook.SetTag(Attributes.StatusCode, status);
        hook.SetTag(Attributes.Cards, cards);
        if (status >= 500)
        {
            hook.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>Starts the span of reading one prefetch key from the FHIR server (child of the hook span).</summary>
    public static Activity? StartFetch(string key)
    {
        var activity = Source.StartActivity(FetchSpan, ActivityKind.Internal);
        activity?.SetTag(Attributes.PrefetchKey, key);
        return activity;
    }

    /// <summary>The fetch's result; failed and timed-out fetches mark the span as an error.</summary>
    public static void Fetched(Activity? fetch, string outcome, int? status, int pages, int resources)
    {
        if (fetch is not { IsAllDataRequested: true })
        {
            return;
        }

        fetch.SetTag(Attributes.FetchOutcome, outcome);
        fetch.SetTag(Attributes.StatusCode, status);
        fetch.SetTag(Attributes.FetchPages, pages);
        fetch.SetTag(Attributes.FetchResources, resources);
        if (outcome is "failed" or "cancelled")
        {
            fetch.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }

}
