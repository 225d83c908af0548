using System.Diagnostics;
using System.Diagnostics.Metrics;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BmesCds.Service.Telemetry;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/> (README "Metrics" lists each with its unit and
/// tags). One intention-revealing method per event, called from where the event happens. Tags are ids and fixed
/// words only (service, hook, rule, reason, key, outcome, trusted issuer), never patient data or a caller's free text.
/// Cheap on the hot path: tags go in a stack-allocated <see cref="TagList"/>, values are interned strings, and an
/// instrument nobody listens to costs a flag check.
/// </summary>
public sealed class BmesMetrics
{
    /// <summary>The meter's name, for <c>AddMeter</c> and for the ledger's instruments on the same meter.</summary>
    public const string MeterName = "BmesCds";

    /// <summary>The cards' mode while the card ledger has no shadow mode: every card is returned to the EHR.</summary>
    public const string LiveMode = "live";

    // Seconds, from 1 ms (a hook answered from prefetch) to 10 s (beyond the FHIR time budget).
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly long[] PageBuckets = [0, 1, 2, 3, 5, 10, 20];

    private readonly Histogram<double> _hookDuration;
    private readonly Counter<long> _cards;
    private readonly Counter<long> _silences;
    private readonly Histogram<double> _fetchDuration;
    private readonly Histogram<long> _fetchPages;
    private readonly Counter<long> _prefetchKeys;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _validationIssues;
    private readonly Counter<long> _rateLimited;

    public BmesMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _hookDuration = meter.CreateHistogram(
            "bmes_cds.hook.duration", "s", "Time to answer one CDS Hooks service call, from request to response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _cards = meter.CreateCounter<long>("bmes_cds.cards", "{card}", "Cards returned, by the rule that won the card.");
        _silences = meter.CreateCounter<long>(
            "bmes_cds.silences", "{judgement}", "Orders or joints judged without a card, by the reason the engine stayed silent.");
        _fetchDuration = meter.CreateHistogram(
            "bmes_cds.fhir.fetch.duration", "s", "Time to read one prefetch key from the EHR's FHIR server (every page).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _fetchPages = meter.CreateHistogram(
            "bmes_cds.fhir.fetch.pages", "{page}", "Pages read from the EHR's FHIR server for one prefetch key.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = PageBuckets });
        _prefetchKeys = meter.CreateCounter<long>(
            "bmes_cds.prefetch.keys", "{key}", "Prefetch keys of hook calls, by where their data came from.");
        _authFailures = meter.CreateCounter<long>("bmes_cds.auth.failures", "{request}", "Calls refused by authentication, by reason.");
        _validationIssues = meter.CreateCounter<long>(
            "bmes_cds.validation.issues", "{issue}", "FHIR validation issues in incoming resources (Validation:Incoming Warn or Strict).");
        _rateLimited = meter.CreateCounter<long>(
            "bmes_cds.rate_limit.rejections", "{request}", "Calls answered 429 because the client exceeded its requests per second.");
    }

    /// <summary>A service call was answered (any status). Records its duration.</summary>
    public void HookAnswered(CdsServiceDefinition service, int status, TimeSpan elapsed)
    {
        if (!_hookDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { Tags.Service, service.Id },
            { Tags.Hook, HookNames.Of(service.Hook) },
            { Tags.Status, StatusCodes.Boxed(status) },
        };
        _hookDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>The engine judged a call: one count per card returned (its winning rule) and per silence (its reason).</summary>
    /// <param name="service">The service called.</param>
    /// <param name="evaluation">What the engine concluded.</param>
    /// <param name="mode"><see cref="LiveMode"/>, or "shadow" once the card ledger records cards without returning them.</param>
    public void Judged(CdsServiceDefinition service, Evaluation evaluation, string mode = LiveMode)
    {
        // Indexed loops: no enumerator is allocated on the hot path.
        if (_cards.Enabled)
        {
            var cards = evaluation.Cards;
            for (var i = 0; i < cards.Count; i++)
            {
                _cards.Add(1, new TagList
                {
                    { Tags.Service, service.Id },
                    { Tags.Rule, cards[i].RuleId },
                    { Tags.Indicator, IndicatorName(cards[i].Indicator) },
                    { Tags.Mode, mode },
                });
            }
        }

        if (_silences.Enabled)
        {
            var judgements = evaluation.Judgements;
            for (var i = 0; i < judgements.Count; i++)
            {
                if (judgements[i] is { Card: null, Silence: { } silence })
                {
                    _silences.Add(1, new TagList { { Tags.Service, service.Id }, { Tags.Reason, silence.Code } });
                }
            }
        }
    }

    /// <summary>
    /// Where each prefetch key's data came from (supplied, fetched, none, failed), and for each key read from the FHIR
    /// server the fetch: its duration and pages, by outcome (ok, not-found, failed, timed-out).
    /// </summary>
    public void KeysResolved(IReadOnlyList<KeyReport> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (_prefetchKeys.Enabled)
            {
                _prefetchKeys.Add(1, new TagList { { Tags.Key, key.Key }, { Tags.Source, SourceName(key.Source) } });
            }

            if (key.Fetch is { } fetch)
            {
                var tags = new TagList { { Tags.Key, key.Key }, { Tags.Outcome, fetch.Outcome } };
                _fetchDuration.Record(fetch.Duration.TotalSeconds, tags);
                _fetchPages.Record(fetch.Pages, tags);
            }
        }
    }

    /// <summary>A call was refused by an authentication scheme.</summary>
    /// <param name="scheme">"cds-client" or "management".</param>
    /// <param name="reason">The refusal reason (a fixed word, e.g. WrongAudience).</param>
    /// <param name="issuer">A trusted issuer, "untrusted", or "none": never a caller's made-up value.</param>
    public void AuthFailed(string scheme, string reason, string issuer) =>
        _authFailures.Add(1, new TagList { { Tags.Scheme, scheme }, { Tags.Reason, reason }, { Tags.Issuer, issuer } });

    /// <summary>One issue the FHIR validator found in an incoming resource.</summary>
    public void ValidationIssue(string severity, string type, string resourceType) =>
        _validationIssues.Add(1, new TagList { { Tags.Severity, severity }, { Tags.Type, type }, { Tags.ResourceType, resourceType } });

    /// <summary>A call was answered 429 (client: the trusted issuer, or "anonymous" when authentication is off).</summary>
    public void RateLimited(string client) => _rateLimited.Add(1, new TagList { { Tags.Client, client } });

    private static string SourceName(KeySource source) => source switch
    {
        KeySource.Prefetched => "supplied",
        KeySource.Fetched => "fetched",
        KeySource.NoData => "none",
        KeySource.Failed => "failed",
        _ => "not-fetched",
    };

    private static string IndicatorName(CardIndicator indicator) => indicator switch
    {
        CardIndicator.Info => "info",
        CardIndicator.Warning => "warning",
        _ => "critical",
    };

    /// <summary>Tag names, shared with the README and the dashboard.</summary>
    public static class Tags
    {
        public const string Service = "service";
        public const string Hook = "hook";
        public const string Status = "status";
        public const string Rule = "rule";
        public const string Indicator = "indicator";
        public const string Mode = "mode";
        public const string Reason = "reason";
        public const string Key = "key";
        public const string Source = "source";
        public const string Outcome = "outcome";
        public const string Scheme = "scheme";
        public const string Issuer = "issuer";
        public const string Severity = "severity";
        public const string Type = "type";
        public const string ResourceType = "resource_type";
        public const string Client = "client";
    }

    /// <summary>HTTP statuses as tag values, boxed once: a tag value is an object, and boxing per call would allocate.</summary>
    private static class StatusCodes
    {
        private static readonly object[] Cache = Enumerable.Range(100, 500).Select(code => (object)code).ToArray();

        public static object Boxed(int status) => status is >= 100 and < 600 ? Cache[status - 100] : status;
    }
}

/// <summary>Registers <see cref="BmesMetrics"/> (and the host's meter factory) once, whoever asks first.</summary>
public static class BmesMetricsServiceCollectionExtensions
{
    public static IServiceCollection AddBmesMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<BmesMetrics>();
        return services;
    }
}
