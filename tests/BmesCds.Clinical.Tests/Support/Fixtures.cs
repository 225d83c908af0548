using System.Text.Json;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using BmesCds.Clinical.Records;
using BmesCds.Clinical.Terminology;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>The real terminology files, the engine, the fixed clock, and the sample request files.</summary>
public static class Fixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<BmesTerminology> LazyTerminology = new(LoadTerminology);

    public static string RepoRoot => Root.Value;

    public static BmesTerminology Terminology => LazyTerminology.Value;

    public static BmesEngine Engine(ClinicalOptions? options = null) => new(Terminology, options ?? new ClinicalOptions());

    public static PatientRecordReader Reader() => new(Terminology);

    public static string CasesDirectory => Path.Combine(RepoRoot, "samples", "cases");

    public static IEnumerable<string> CaseFiles() => Directory.EnumerateFiles(CasesDirectory, "*.request.json").Order(StringComparer.Ordinal);

    /// <summary>Reads a sample request the way the host does: draftOrders with the lenient reader, prefetch with the record reader.</summary>
    public static EvaluationRequest LoadCase(string prefix)
    {
        var file = CaseFiles().Single(path => Path.GetFileName(path).StartsWith(prefix + "-", StringComparison.Ordinal));
        return ToRequest(File.ReadAllText(file));
    }

    public static EvaluationRequest ToRequest(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var hook = root.GetProperty("hook").GetString() switch
        {
            "order-select" => HookKind.OrderSelect,
            "order-sign" => HookKind.OrderSign,
            _ => HookKind.PatientView,
        };
        var context = root.GetProperty("context");
        string? Text(string name) => context.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var selections = context.TryGetProperty("selections", out var list) ? list.EnumerateArray().Select(item => item.GetString()!).ToList() : [];
        var drafts = new List<Resource>();
        if (context.TryGetProperty("draftOrders", out var bundle) && bundle.TryGetProperty("entry", out var entries))
        {
            drafts.AddRange(entries.EnumerateArray().Select(entry => LenientFhirReader.Read(entry.GetProperty("resource")).Resource).OfType<Resource>());
        }

        var prefetch = root.TryGetProperty("prefetch", out var values) ? values.EnumerateObject().Select(property => property.Value.Clone()).ToList() : [];
        var record = Reader().Read(prefetch).Record;
        return new EvaluationRequest(new HookContext(hook, Text("patientId")!, Text("userId"), Text("encounterId"), selections), drafts, record, Now);
    }

    public static IReadOnlyList<CardDraft> Evaluate(string prefix) => Engine().Evaluate(LoadCase(prefix));

    /// <summary>The cards of the sample named exactly so (samples/cases/{name}.request.json).</summary>
    public static IReadOnlyList<CardDraft> EvaluateCase(string name) =>
        Engine().Evaluate(ToRequest(File.ReadAllText(Path.Combine(CasesDirectory, $"{name}.request.json"))));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BmesCds.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BmesCds.sln not found above the test directory.");
    }

    private static BmesTerminology LoadTerminology()
    {
        var deserializer = new FhirJsonDeserializer();
        var folder = Path.Combine(RepoRoot, "fhir-profiles");
        var valueSets = Directory.EnumerateFiles(folder, "ValueSet-*.json").Select(file => deserializer.Deserialize<ValueSet>(File.ReadAllText(file)));
        var codeSystems = Directory.EnumerateFiles(folder, "CodeSystem-*.json").Select(file => deserializer.Deserialize<CodeSystem>(File.ReadAllText(file)));
        return BmesTerminology.Build(valueSets.ToList(), codeSystems.ToList());
    }
}
