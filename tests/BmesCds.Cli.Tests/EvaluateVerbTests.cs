using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BmesCds.Cli.Tests;

[TestFixture]
public sealed class EvaluateVerbTests
{
    private const string Now = "2026-11-28T12:00:00Z";

    private static readonly string C1 = Repository.Combine("samples", "cases", "C1-ct-after-normal-left-hip-xray.request.json");
    private static readonly string C2 = Repository.Combine("samples", "cases", "C2-first-right-hip-xray.request.json");

    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("bmes-cli-evaluate-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void C1_answers_one_replace_with_mri_card_suggesting_loinc_36488_5()
    {
        var (code, output, err) = Run("evaluate", C1, "--now", Now);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        var cards = JsonNode.Parse(output)!["cards"]!.AsArray();
        Assert.That(cards, Has.Count.EqualTo(1));
        Assert.That((string?)cards[0]!["source"]!["topic"]!["code"], Is.EqualTo("replace-with-mri"));
        var created = cards[0]!["suggestions"]!.AsArray()
            .SelectMany(s => s!["actions"]!.AsArray())
            .Where(a => (string?)a!["type"] == "create")
            .Select(a => a!["resource"]!)
            .ToList();
        Assert.That(created.SelectMany(r => r["code"]!["coding"]!.AsArray()).Any(c =>
            (string?)c!["system"] == "http://loinc.org" && (string?)c["code"] == "36488-5"), Is.True, output);
    }

    [Test]
    public void C1_as_a_table_names_the_rule_and_the_suggested_code()
    {
        var (code, output, err) = Run("evaluate", C1, "--now", Now, "--format", "table");

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        Assert.That(output, Does.Contain("replace-with-mri").And.Contain("warning").And.Contain("36488-5"));
    }

    [Test]
    public void C2_answers_no_cards()
    {
        var (code, output, err) = Run("evaluate", C2, "--now", Now);

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        Assert.That(Regex.Replace(output, @"\s+", string.Empty), Is.EqualTo("""{"cards":[]}"""));
    }

    [Test]
    public void Missing_file_exits_1_with_a_message()
    {
        var (code, output, err) = Run("evaluate", Path.Combine(_folder, "nope.json"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.Contain("does not exist"));
    }

    [Test]
    public void File_that_is_not_json_exits_1()
    {
        var (code, _, err) = Run("evaluate", Write("garbage.json", "this is not { json"));

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(err, Does.Contain("not JSON"));
    }

    [TestCase("""{"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""", "hook")]
    [TestCase("""{"hook":"encounter-start","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""", "hook")]
    [TestCase("""{"hook":"order-select","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""", "context")]
    [TestCase("""{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1"}}""", "context.patientId")]
    [TestCase("""[1, 2]""", "(body)")]
    public void Refused_request_exits_1_naming_the_field(string json, string field)
    {
        var (code, output, err) = Run("evaluate", Write("request.json", json));

        Assert.That(code, Is.EqualTo(ExitCodes.Failed), err);
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.Contain($"request refused: {field}"));
    }

    [TestCase(Description = "no request file")]
    [TestCase("C1", "--bogus", "x")]
    [TestCase("C1", "--format", "xml")]
    [TestCase("C1", "--now", "yesterday")]
    [TestCase("C1", "--now")]
    [TestCase("C1", "C2")]
    public void Usage_error_exits_2(params string[] args)
    {
        var (code, output, err) = Run(["evaluate", .. args.Select(a => a switch { "C1" => C1, "C2" => C2, _ => a })]);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage), err);
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.Contain("usage: bmes-cds evaluate"));
    }

    [Test]
    public void Help_says_only_the_prefetch_is_used()
    {
        var (code, output, _) = Run("evaluate", "--help");

        Assert.That(code, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Contain("ONLY the prefetch").And.Contain("no network"));
    }
}
