using System.Diagnostics;
using BmesCds.Profiles;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

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
var created = clock.Elapsed;
if (Environment.GetEnvironmentVariable("PROBE") == "1")
{
    var bare = new Hl7.Fhir.Model.Basic { Code = new CodeableConcept("http://example.org", "x") };
    _ = validator.Validate(bare);
    Console.WriteLine($"first base validation of a Basic: {clock.Elapsed.TotalMilliseconds:F0} ms");
    var sr = new ServiceRequest { Status = RequestStatus.Draft, Intent = RequestIntent.Order, Subject = new ResourceReference("Patient/1") };
    _ = validator.Validate(sr);
    Console.WriteLine($"then base ServiceRequest: {clock.Elapsed.TotalMilliseconds:F0} ms");
}

var first = validator.Validate(samples[0].Resource);
var warmedUp = clock.Elapsed;
Console.WriteLine($"create: {created.TotalMilliseconds:F0} ms; create + first validation (warm-up): {warmedUp.TotalMilliseconds:F0} ms");
Print(samples[0].Name, first);

foreach (var (name, resource) in samples)
{
    var profile = resource.Meta?.Profile.FirstOrDefault();
    var outcome = profile is null ? validator.Validate(resource) : validator.Validate(resource, profile);
    var firstOfProfile = clock.Elapsed;
    clock.Restart();
    for (var i = 0; i < iterations; i++)
    {
        _ = profile is null ? validator.Validate(resource) : validator.Validate(resource, profile);
    }

    var perCall = clock.Elapsed.TotalMilliseconds / iterations;
    Console.WriteLine($"{name}: {perCall:F2} ms per validation ({iterations} runs, after warm-up)");
    Print(name, outcome);
    _ = firstOfProfile;
}

static void Print(string name, OperationOutcome outcome)
{
    foreach (var issue in outcome.Issue)
    {
        Console.WriteLine($"  [{name}] {issue.Severity} {issue.Code} {string.Join(",", issue.Expression)}: {issue.Details?.Text ?? issue.Diagnostics}");
    }
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
