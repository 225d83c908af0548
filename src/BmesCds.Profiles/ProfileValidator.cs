using System.Text.RegularExpressions;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace BmesCds.Profiles;

/// <summary>
/// Validates a FHIR R4 resource against the base specification or one of the profiles in fhir-profiles/, offline,
/// with Firely's validator, and answers with an OperationOutcome. One instance per process: building and warming it
/// costs seconds (the core specification is unpacked and every schema compiled on first use), validating after that
/// costs milliseconds. Thread-safe by serialising calls: Firely's validator and its resolvers are not thread-safe
/// (SnapshotSource and schema loading race under concurrent use: firely-validator-api issues 378 and 381); one
/// validation at a time costs milliseconds once warm, and the host has two cores.
/// </summary>
public sealed partial class ProfileValidator
{
    private const string CoreProfileBase = "http://hl7.org/fhir/StructureDefinition/";

    private readonly Lock _gate = new();
    private readonly Validator _validator;
    private readonly IAsyncResourceResolver _resolver;

    private ProfileValidator(ProfileArtifacts artifacts, IAsyncResourceResolver resolver, Validator validator)
    {
        Artifacts = artifacts;
        _resolver = resolver;
        _validator = validator;
    }

    public ProfileArtifacts Artifacts { get; }

    /// <summary>Builds the validator over the artifacts of a fhir-profiles/ directory and the R4 core specification.</summary>
    public static ProfileValidator Create(string profilesDirectory) => Create(ProfileArtifacts.Load(profilesDirectory));

    public static ProfileValidator Create(ProfileArtifacts artifacts)
    {
        // Ours first, so our canonicals are never shadowed; snapshots of our differentials are generated when first
        // resolved (never stored in the repository); the cache keeps each generated snapshot.
        var local = new InMemoryResourceResolver(artifacts.All.Select(a => a.Resource));
        var ours = artifacts.All.Select(a => a.Url).ToHashSet(StringComparer.Ordinal);
        var core = new DirectorySource(SpecificationArchive.Directory, new DirectorySourceSettings { IncludeSubDirectories = true });
        var resolver = new CachedResolver(new SnapshotSource(new MultiResolver(local, core)));

        // Our ValueSets are extensional, so the local service expands them without SNOMED CT, LOINC or CPT.
        var terminology = new LocalTerminologyService(resolver);
        var settings = new ValidationSettings
        {
            // A code of an external system (SNOMED CT, LOINC, CPT, ICD-10-CM) that the local service cannot look up
            // is reported as a warning, never an error: offline we cannot know it is wrong.
            HandleValidateCodeServiceFailure = (_, _) => TerminologyServiceExceptionResult.Warning,
            // EHRs declare profiles we do not hold (US Core, their own): such a resource is held to base R4 and to the
            // declared profiles we know (ours, the core spec's), not failed for naming an unknown one.
            SelectValidationProfiles = (_, declared, _, _) => declared.Where(p => IsKnownProfile(p.ToString(), ours)).ToArray(),
        };
        var validator = new Validator(resolver, terminology, null, settings);
        return new ProfileValidator(artifacts, resolver, validator);
    }

    /// <summary>Validates against the base R4 definition of the resource's type (and any profile it declares).</summary>
    public OperationOutcome Validate(Resource resource)
    {
        lock (_gate)
        {
            return NameMissingElements(_validator.Validate(resource));
        }
    }

    /// <summary>Validates against a profile, given by its canonical url.</summary>
    public OperationOutcome Validate(Resource resource, string profileUrl)
    {
        lock (_gate)
        {
            return NameMissingElements(_validator.Validate(resource, profileUrl));
        }
    }

    /// <summary>Generates the snapshot of a StructureDefinition from its differential; the outcome lists the problems.</summary>
    public (StructureDefinition Snapshot, OperationOutcome Outcome) GenerateSnapshot(StructureDefinition differential)
    {
        var copy = (StructureDefinition)differential.DeepCopy();
        copy.Snapshot = null;
        lock (_gate)
        {
            // Under the same gate as validation: the generator shares the validator's (not thread-safe) resolvers.
            var generator = new SnapshotGenerator(_resolver, SnapshotGeneratorSettings.CreateDefault());
            generator.UpdateAsync(copy).GetAwaiter().GetResult();
            return (copy, generator.Outcome ?? new OperationOutcome());
        }
    }

    private static bool IsKnownProfile(string canonical, HashSet<string> ours)
    {
        var url = canonical.Split('|')[0];
        return ours.Contains(url) || url.StartsWith(CoreProfileBase, StringComparison.Ordinal);
    }

    // Firely reports a missing mandatory element at its parent ("Missing required member: 'bodySite'" at
    // "ServiceRequest"); a reader (and a client receiving a 400) needs the element itself: ServiceRequest.bodySite.
    private static OperationOutcome NameMissingElements(OperationOutcome outcome)
    {
        foreach (var issue in outcome.Issue)
        {
            var text = issue.Details?.Text ?? issue.Diagnostics;
            if (text is not null && MissingMember().Match(text) is { Success: true } match && issue.Expression.ToList() is [var parent])
            {
                issue.Expression = [$"{parent}.{match.Groups["name"].Value}"];
            }
        }

        return outcome;
    }

    [GeneratedRegex("^Missing required member: '(?<name>[A-Za-z0-9_\\[\\]]+)'")]
    private static partial Regex MissingMember();
}
