using System.Globalization;
using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Explanation;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;
using Hl7.Fhir.Model;

namespace BmesCds.Cli.Verbs;

/// <summary>Evaluates a CDS Hooks request file offline with the service's own parser, record reader, engine and card
/// mapper: what the service would answer if the request's prefetch were all it had.</summary>
internal sealed class EvaluateVerb : ICliVerb
{
    public string Name => "evaluate";

    public string Summary => "answer a CDS Hooks request file offline, from its prefetch alone";

    public string Usage => $"""
        usage: bmes-cds evaluate REQUEST.json [--now DATE-TIME] [--format json|table] [--explain] [--profiles DIR]
          REQUEST.json     a CDS Hooks request body; its "hook" (order-select, order-sign, patient-view) picks the service
          --now DATE-TIME  the evaluation instant, ISO 8601 (e.g. 2026-11-28T12:00:00Z; default: the current time)
          --format FORMAT  json: the CDS Hooks response (default); table: one line per card, then its suggestions
          --explain        say why: each judged order or joint with its findings and every rule's verdict, the prefetch
                           keys and the timings (the console's explanation); as text after the card table, or with
                           --format json one document with "status", "response" and "explanation"
          {ProfilesDirectory.OptionHelp}
        uses ONLY the prefetch in the file: no network, never the fhirServer; keys the service would fetch are left empty
        exit 0 answered (even with no cards), 1 request refused or file unreadable, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var path = arguments.Argument("REQUEST.json");
        var nowText = arguments.Optional("now");
        var formatOption = arguments.Optional("format");
        var explain = arguments.Flag("explain");
        // With --explain the text form is the default: an explanation is read by a person.
        var format = formatOption ?? (explain ? "table" : "json");
        var profilesOption = arguments.Optional("profiles");
        arguments.RejectUnread();
        if (format is not ("json" or "table"))
        {
            throw new UsageException($"--format must be json or table, not '{format}'.");
        }

        var now = DateTimeOffset.UtcNow;
        if (nowText is not null && !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out now))
        {
            throw new UsageException($"--now must be an ISO 8601 date-time such as 2026-11-28T12:00:00Z, not '{nowText}'.");
        }

        var body = InputFile.ReadBytes(path);
        var service = ServiceOf(body, path);
        var terminology = LoadTerminology(ProfilesDirectory.Resolve(profilesOption));
        var outcome = HookPipeline.Create(terminology)
            .InvokeAsync(body, service, new HookEnvironment(now), CancellationToken.None).GetAwaiter().GetResult();
        if (outcome.Error is { } error)
        {
            throw new CliFailureException($"request refused: {(error.Field.Length == 0 ? "(body)" : error.Field)}: {error.Message}");
        }

        foreach (var (key, value) in outcome.Request!.Prefetch.Where(p => p.Value.Kind != PrefetchValueKind.Resource))
        {
            stderr.WriteLine($"note: prefetch.{key} is {(value.Kind == PrefetchValueKind.Null ? "null" : "an OperationOutcome")}: evaluated without it.");
        }

        var response = outcome.Response!;
        var explanation = explain ? HookExplainer.Explain(outcome, service, now) : null;
        if (format == "json")
        {
            stdout.WriteLine(explanation is null
                ? JsonSerializer.Serialize(response, CdsJson.IndentedOptions)
                : ExplainedAnswer.Of(outcome, explanation).ToJson());
        }
        else
        {
            WriteTable(response, stdout);
            if (explanation is not null)
            {
                stdout.WriteLine();
                ExplanationText.Write(explanation, stdout);
            }
        }

        return ExitCodes.Ok;
    }

    // The service a request is for, from its "hook"; the pipeline checks everything else.
    private static CdsServiceDefinition ServiceOf(byte[] body, string path)
    {
        string? hook;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliFailureException("request refused: (body): the request body must be a JSON object.");
            }

            hook = root.TryGetProperty("hook", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException failure)
        {
            throw new CliFailureException($"'{path}' is not JSON: {failure.Message}");
        }

        if (hook is null)
        {
            throw new CliFailureException("request refused: hook: is required (a string naming the hook).");
        }

        return CdsServiceCatalogue.All.FirstOrDefault(s => HookNames.Of(s.Hook) == hook)
            ?? throw new CliFailureException(
                $"request refused: hook: '{hook}' is not a hook BmesCds answers ({string.Join(", ", CdsServiceCatalogue.All.Select(s => HookNames.Of(s.Hook)))}).");
    }

    private static BmesTerminology LoadTerminology(string directory)
    {
        try
        {
            return FhirProfilesLoader.Load(directory);
        }
        catch (TerminologyException ex)
        {
            throw new CliFailureException($"cannot load the vocabulary from '{directory}': {ex.Message}");
        }
    }

    private static void WriteTable(CdsResponse response, TextWriter stdout)
    {
        if (response.Cards.Count == 0)
        {
            stdout.WriteLine("no cards");
            return;
        }

        foreach (var card in response.Cards)
        {
            stdout.WriteLine($"{card.Indicator,-9} {card.Source.Topic?.Code ?? "-",-28} {card.Summary}");
            foreach (var suggestion in card.Suggestions ?? [])
            {
                stdout.WriteLine($"          suggestion: {suggestion.Label}{(suggestion.IsRecommended == true ? " (recommended)" : string.Empty)}");
                foreach (var action in suggestion.Actions ?? [])
                {
                    stdout.WriteLine($"            {action.Type,-6} {Target(action)}");
                }
            }
        }
    }

    /// <summary>What an action acts on: the resource id of a delete, else the resource type and its codes.</summary>
    private static string Target(CdsAction action)
    {
        if (action.Resource is not { } resource)
        {
            return action.ResourceId ?? action.Description;
        }

        var concept = resource switch
        {
            ServiceRequest order => order.Code,
            Condition condition => condition.Code,
            _ => null,
        };
        var codes = (concept?.Coding ?? []).Select(Coding).Where(c => c.Length > 0).ToList();
        return codes.Count == 0 ? resource.TypeName : $"{resource.TypeName} {string.Join(" ", codes)}";
    }

    private static string Coding(Coding coding) => coding.Code is not { } code ? string.Empty : coding.System switch
    {
        "http://loinc.org" => $"LOINC|{code}",
        "http://snomed.info/sct" => $"SNOMED|{code}",
        "http://www.ama-assn.org/go/cpt" => $"CPT|{code}",
        null => code,
        var system => $"{system}|{code}",
    };
}
