using BmesCds.CdsHooks.Fhir;
using BmesCds.Profiles;
using Hl7.Fhir.Model;

namespace BmesCds.Cli.Verbs;

/// <summary>Validates a FHIR R4 JSON resource offline against base R4 or one of our profiles, with the service's
/// validator. The validator is built on first use (seconds), or given (tests share one).</summary>
internal sealed class ValidateVerb : ICliVerb
{
    private readonly ProfileValidator? _validator;

    public ValidateVerb()
    {
    }

    /// <summary>Uses <paramref name="validator"/> instead of building one; <c>--profiles</c> is then ignored.</summary>
    internal ValidateVerb(ProfileValidator validator) => _validator = validator;

    public string Name => "validate";

    public string Summary => "validate a FHIR R4 JSON resource against base R4 or a profile, offline";

    public string Usage => $"""
        usage: bmes-cds validate RESOURCE.json [--profile URL] [--profiles DIR]
          RESOURCE.json    a FHIR R4 resource in JSON (read leniently, as the service reads incoming FHIR)
          --profile URL    canonical url of a profile, e.g. https://bmes-cds.org/fhir/StructureDefinition/BmesMriServiceRequest
                           (default: base R4 for the resource's type, plus the profiles it declares that are known)
          {ProfilesDirectory.OptionHelp}
        prints each issue (severity, location, message), then "N errors, N warnings"; offline: codes of external systems
        (SNOMED CT, LOINC, CPT) that cannot be looked up are warnings; the first run takes a few seconds
        exit 0 no errors, 1 errors (or the file is unreadable or not FHIR), 2 usage error
        """;

    public int Run(CliArguments arguments, TextWriter stdout, TextWriter stderr)
    {
        var path = arguments.Argument("RESOURCE.json");
        var profile = arguments.Optional("profile");
        var profilesOption = arguments.Optional("profiles");
        arguments.RejectUnread();
        if (profile is not null && !Uri.TryCreate(profile, UriKind.Absolute, out _))
        {
            throw new UsageException($"--profile must be a canonical url, not '{profile}'.");
        }

        using var document = InputFile.ReadJson(path);
        var read = LenientFhirReader.Read(document.RootElement);
        if (read.Resource is null)
        {
            throw new CliFailureException($"'{path}' is not a FHIR R4 resource: {read.Refusal}");
        }

        var validator = _validator ?? Build(ProfilesDirectory.Resolve(profilesOption));
        if (profile is not null && !IsKnownProfile(validator, profile))
        {
            throw new CliFailureException($"unknown profile '{profile}': neither in {validator.Artifacts.Directory} nor an R4 core profile.");
        }

        var outcome = profile is null ? validator.Validate(read.Resource) : validator.Validate(read.Resource, profile);

        var errors = 0;
        var warnings = 0;

        // What the lenient reader had to drop or repair never reaches the validator: report it as an error here.
        foreach (var issue in read.Issues)
        {
            errors++;
            stdout.WriteLine($"error    {Or(issue.Location, read.Resource.TypeName)}: {issue.Description} (while reading the JSON: {issue.Code})");
        }

        foreach (var issue in outcome.Issue)
        {
            var severity = issue.Severity ?? OperationOutcome.IssueSeverity.Information;
            errors += severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal ? 1 : 0;
            warnings += severity is OperationOutcome.IssueSeverity.Warning ? 1 : 0;
            var location = issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? read.Resource.TypeName;
            var message = issue.Details?.Text ?? issue.Diagnostics ?? issue.Code?.ToString() ?? "(no message)";
            stdout.WriteLine($"{severity.ToString().ToLowerInvariant(),-8} {location}: {message}");
        }

        stdout.WriteLine($"{errors} errors, {warnings} warnings");
        return errors == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;

    private static bool IsKnownProfile(ProfileValidator validator, string url) =>
        url.StartsWith("http://hl7.org/fhir/StructureDefinition/", StringComparison.Ordinal)
        || validator.Artifacts.StructureDefinitions.Any(sd => sd.Url == url.Split('|')[0]);

    private static ProfileValidator Build(string directory)
    {
        try
        {
            return ProfileValidator.Create(directory);
        }
        catch (ProfileLoadException ex)
        {
            throw new CliFailureException($"cannot load the profiles: {ex.Message}");
        }
    }
}
