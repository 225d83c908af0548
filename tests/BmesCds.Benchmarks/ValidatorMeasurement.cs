using System.Diagnostics;
using BmesCds.Profiles;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Benchmarks;

/// <summary>
/// Cold start and steady-state cost of ProfileValidator, on the examples of samples/profiles (a Stopwatch run: the
/// cold-start figure is a one-off by nature, which BenchmarkDotNet's repeated iterations cannot show).
/// Run: dotnet run -c Release --project tests/BmesCds.Benchmarks -- validator [iterations, default 200]
/// </summary>
internal static class ValidatorMeasurement
{
    public static void Run(string[] args)
    {
        // Cold start and steady-state cost of ProfileValidator, on the examples of samples/profiles.
        // Run: dotnet run -c Release --project tests/BmesCds.Benchmarks -- [iterations, default 200]
        var root = RepositoryRoot();
        var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 200;
        var deserializer = new FhirJsonDeserializer();
        var samples = Directory.GetFiles(Path.Combine(root, "samples", "profiles"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileName(path), Resource: deserializer.DeserializeResource(File.ReadAllText(path))))
            .ToList();

        var clock = Stopwatch.StartNew();
        var validator = ProfileValidator.Create(Path.Combine(root, "fhir-profiles"));
        Console.WriteLine($"create (load fhir-profiles, open the core spec): {clock.Elapsed.TotalMilliseconds:F0} ms");

        // First use of each resource type / profile: the cost a request would pay without the warm-up.
        foreach (var (name, resource) in samples)
        {
            clock.Restart();
            Report(name, "first base R4", validator.Validate(WithoutProfile(resource)));
            clock.Restart();
            Report(name, "first profile", Validate(resource));
        }

        // After warm-up: what each validation costs.
        foreach (var (name, resource) in samples)
        {
            var bare = WithoutProfile(resource);
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                _ = validator.Validate(bare);
            }

            var baseMs = clock.Elapsed.TotalMilliseconds / iterations;
            clock.Restart();
            for (var i = 0; i < iterations; i++)
            {
                _ = Validate(resource);
            }

            var profileMs = clock.Elapsed.TotalMilliseconds / iterations;
            Console.WriteLine($"{name}: warm, mean of {iterations}: base R4 {baseMs:F2} ms, profile {profileMs:F2} ms");
        }

        OperationOutcome Validate(Resource resource) => validator.Validate(resource, resource.Meta!.Profile.First()!);

        void Report(string name, string what, OperationOutcome outcome)
        {
            var errors = outcome.Issue.Count(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
            Console.WriteLine($"{name}: {what} validation {clock.Elapsed.TotalMilliseconds:F0} ms ({errors} errors, {outcome.Issue.Count - errors} other issues)");
        }

        static Resource WithoutProfile(Resource resource)
        {
            var copy = (Resource)resource.DeepCopy();
            copy.Meta = null;
            return copy;
        }

        static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BmesCds.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Run from inside the repository: BmesCds.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
