using System.Text.Json.Nodes;
using BmesCds.Cli.Verbs;
using BmesCds.Profiles;

namespace BmesCds.Cli.Tests;

/// <summary>One validator for the fixture: building and warming it costs seconds.</summary>
[TestFixture]
public sealed class ValidateVerbTests
{
    private const string MriProfile = "https://bmes-cds.org/fhir/StructureDefinition/BmesMriServiceRequest";
    private static readonly string MriExample = Repository.Combine("samples", "profiles", "ServiceRequest-bmes-mri-example.json");

    private ICliVerb[] _verbs = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void BuildValidator() =>
        _verbs = [new ValidateVerb(ProfileValidator.Create(Repository.Combine("fhir-profiles")))];

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-cli-validate-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr, _verbs);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Broken(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(MriExample))!.AsObject();
        change(json);
        var path = Path.Combine(_folder, "broken.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [TestCase("ServiceRequest-bmes-mri-example.json", "BmesMriServiceRequest")]
    [TestCase("Condition-bmes-osteonecrosis-example.json", "BmesOsteonecrosisCondition")]
    [TestCase("Observation-bmes-imaging-finding-example.json", "BmesImagingFinding")]
    public void Profile_example_is_valid_against_its_profile(string file, string profile)
    {
        var (code, output, err) = Run("validate", Repository.Combine("samples", "profiles", file),
            "--profile", "https://bmes-cds.org/fhir/StructureDefinition/" + profile);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), output + err);
        Assert.That(output, Does.Contain("0 errors"));
    }

    [Test]
    public void Mri_request_without_bodySite_fails_naming_bodySite()
    {
        var (code, output, _) = Run("validate", Broken(json => json.Remove("bodySite")), "--profile", MriProfile);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("bodySite"));
        Assert.That(output.TrimEnd().Split('\n')[^1], Does.Match(@"^[1-9]\d* errors, \d+ warnings$"));
    }

    [Test]
    public void Status_bogus_fails_base_validation()
    {
        var (code, output, _) = Run("validate", Broken(json =>
        {
            json["status"] = "bogus";
            json.Remove("meta");
        }));

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("ServiceRequest.status"));
        Assert.That(output, Does.Not.Contain("\n0 errors"));
    }

    [TestCase("""{"hello":"world"}""")]
    [TestCase("""{"resourceType":"Banana"}""")]
    [TestCase("not json at all")]
    public void File_that_is_not_fhir_exits_1(string content)
    {
        var path = Path.Combine(_folder, "not-fhir.json");
        File.WriteAllText(path, content);

        var (code, _, err) = Run("validate", path);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.StartWith("bmes-cds validate: "));
    }

    [Test]
    public void Unknown_profile_exits_1() =>
        Assert.That(Run("validate", MriExample, "--profile", "https://example.org/StructureDefinition/Nope").Code, Is.EqualTo(ExitCodes.Failed));

    [TestCase(Description = "no resource file")]
    [TestCase("MRI", "--profile")]
    [TestCase("MRI", "--profile", "not a url")]
    [TestCase("MRI", "--strict")]
    public void Usage_error_exits_2(params string[] args)
    {
        var (code, _, err) = Run(["validate", .. args.Select(a => a == "MRI" ? MriExample : a)]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage), err);
        Assert.That(err, Does.Contain("usage: bmes-cds validate"));
    }
}
