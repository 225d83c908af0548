using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Terminology;
using BmesCds.Testing;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>The real terminology files, the engine, the fixed clock, and the sample request files.</summary>
public static class Fixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static string RepoRoot => Repository.Root;

    public static BmesTerminology Terminology => Vocabulary.Terminology;

    public static BmesEngine Engine(ClinicalOptions? options = null) => new(Terminology, options ?? new ClinicalOptions());

    /// <summary>Raw FHIR JSON values (resources or Bundles) read into a record as the pipeline reads prefetch.</summary>
    public static RecordAssembly ReadRecord(params string[] values) => FhirRecords.Read(values);

    public static string CasesDirectory => Path.Combine(RepoRoot, "samples", "cases");

    public static IEnumerable<string> CaseFiles() => Directory.EnumerateFiles(CasesDirectory, "*.request.json").Order(StringComparer.Ordinal);

    /// <summary>Reads a sample request the way the host does: draftOrders with the lenient reader, prefetch with the record reader.</summary>
    public static EvaluationRequest LoadCase(string prefix)
    {
        var file = CaseFiles().Single(path => Path.GetFileName(path).StartsWith(prefix + "-", StringComparison.Ordinal));
        return ToRequest(File.ReadAllText(file));
    }

    public static EvaluationRequest ToRequest(string json) => HookRequests.ToEvaluation(json, Now);

    public static IReadOnlyList<CardDraft> Evaluate(string prefix) => Engine().Evaluate(LoadCase(prefix));
}
