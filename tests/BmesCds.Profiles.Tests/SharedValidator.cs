using Hl7.Fhir.Model;

namespace BmesCds.Profiles.Tests;

/// <summary>
/// One ProfileValidator for the whole test assembly: the suite pays the seconds of warm-up once.
/// </summary>
[SetUpFixture]
public sealed class SharedValidator
{
    private static ProfileValidator? _instance;

    public static ProfileValidator Instance => _instance ?? throw new InvalidOperationException("The shared validator is not set up.");

    [OneTimeSetUp]
    public void CreateValidator() => _instance = ProfileValidator.Create(Repository.ProfilesDirectory);
}

/// <summary>Reading an OperationOutcome in assertions.</summary>
internal static class Outcomes
{
    public static IReadOnlyList<OperationOutcome.IssueComponent> Errors(this OperationOutcome outcome) =>
        outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();

    public static string Describe(this IEnumerable<OperationOutcome.IssueComponent> issues) =>
        string.Join(Environment.NewLine, issues.Select(i =>
            $"{i.Severity} {i.Code} at {string.Join(", ", i.Expression.Concat(i.Location))}: {i.Details?.Text ?? i.Diagnostics}"));
}
