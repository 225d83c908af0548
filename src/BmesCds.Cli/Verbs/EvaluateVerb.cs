using System.Globalization;
using System.Text.Json;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;
using BmesCds.Profiles;

namespace BmesCds.Cli.Verbs;

/// <summary>Evaluates a CDS Hooks request file offline with the service's own parser, record reader, engine and card
/// mapper: what the service would answer if the request's prefetch were all it had.</summary>
internal sealed class EvaluateVerb : ICliVerb
{
    public string Name => "evaluate";

    public string Summary => "answer a CDS Hooks request file offline, from its prefetch alone";

    public string Usage => $"""
        usage: bmes-cds evaluate REQUEST.json [--now DATE-TIME] [--format json|table] [--profiles DIR]
          REQUEST.json     a CDS Hooks request body; its "hook" (order-select, order-sign, patient-view) picks the service
          --now DATE-TIME  the evaluation instant, ISO 8601 (e.g. 2026-11-28T12:00:00Z; default: the current time)
          --format FORMAT  json: the CDS Hooks response (default); table: one line per card, then its suggestions
          {ProfilesDirectory.OptionHelp}
        uses ONLY the prefetch in the file: no network, never the fhirServer; keys the service would fetch are left empty
        exit 0 answered (even with no cards), 1 request refused or file unreadable, 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var path = arguments.Argument("REQUEST.json");
        var nowText = arguments.Optional("now");
        var format = arguments.Optional("format") ?? "json";
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

        using var document = InputFile.ReadJson(path);
        var request = Parse(document.RootElement);
        var terminology = LoadTerminology(ProfilesDirectory.Resolve(profilesOption));

        var prefetched = request.Prefetch.Where(p => p.Value.Kind == PrefetchValueKind.Resource).ToList();
        var read = new PatientRecordReader(terminology).Read(prefetched.Select(p => p.Value.Json));
        if (read.Issues.FirstOrDefault(issue => issue.Skipped) is { } unreadable)
        {
            // As the service does: a resource the rules need but cannot read refuses the request.
            throw new CliFailureException($"prefetch: {unreadable.Resource}: {unreadable.Description}");
        }

        foreach (var (key, value) in request.Prefetch.Where(p => p.Value.Kind != PrefetchValueKind.Resource))
        {
            stderr.WriteLine($"note: prefetch.{key} is {(value.Kind == PrefetchValueKind.Null ? "null" : "an OperationOutcome")}: evaluated without it.");
        }

        var drafts = new BmesEngine(terminology, new ClinicalOptions())
            .Evaluate(new EvaluationRequest(request.Context, request.DraftOrders, read.Record, now));
        var response = new CardMapper(new CardOptions()).ToResponse(drafts);
        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(response, CdsJson.IndentedOptions));
        }
        else
        {
            WriteTable(response, stdout);
        }

        return ExitCodes.Ok;
    }

    private static HookRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CliFailureException("request refused: (body): the request body must be a JSON object.");
        }

        var hook = root.TryGetProperty("hook", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
        if (hook is null)
        {
            throw new CliFailureException("request refused: hook: is required (a string naming the hook).");
        }

        var service = CdsServiceCatalogue.All.FirstOrDefault(s => HookNames.Of(s.Hook) == hook)
            ?? throw new CliFailureException(
                $"request refused: hook: '{hook}' is not a hook BmesCds answers ({string.Join(", ", CdsServiceCatalogue.All.Select(s => HookNames.Of(s.Hook)))}).");
        var parsed = HookRequestParser.Parse(root, service.Hook);
        return parsed.Error is { } error
            ? throw new CliFailureException($"request refused: {(error.Field.Length == 0 ? "(body)" : error.Field)}: {error.Message}")
            : parsed.Value!;
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
        if (action.Resource is not { ValueKind: JsonValueKind.Object } resource)
        {
            return action.ResourceId ?? action.Description;
        }

        var type = resource.TryGetProperty("resourceType", out var t) ? t.GetString() : "?";
        var codes = resource.TryGetProperty("code", out var code) && code.TryGetProperty("coding", out var codings) && codings.ValueKind == JsonValueKind.Array
            ? codings.EnumerateArray().Select(Coding).Where(c => c.Length > 0).ToList()
            : [];
        return codes.Count == 0 ? $"{type}" : $"{type} {string.Join(" ", codes)}";
    }

    private static string Coding(JsonElement coding)
    {
        var system = coding.TryGetProperty("system", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var code = coding.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return code is null ? string.Empty : system switch
        {
            "http://loinc.org" => $"LOINC|{code}",
            "http://snomed.info/sct" => $"SNOMED|{code}",
            "http://www.ama-assn.org/go/cpt" => $"CPT|{code}",
            null => code,
            _ => $"{system}|{code}",
        };
    }
}
