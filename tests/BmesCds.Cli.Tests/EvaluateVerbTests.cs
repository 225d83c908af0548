using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static BmesCds.Cli.Tests.CliRun;

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
    [TestCase("C1", "--explain", "yes")]
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

    [Test]
    public void C1_explained_names_the_fired_rule_with_why_and_the_findings_of_the_left_hip()
    {
        var (code, output, err) = Run("evaluate", C1, "--now", Now, "--explain");

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        var lines = output.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        Assert.That(lines[0], Does.StartWith("warning").And.Contain("replace-with-mri"), "the card table comes first");
        Assert.That(lines, Has.Some.EqualTo("ServiceRequest/ct-hip-left (left hip): CT of the left hip, without contrast"));
        Assert.That(lines, Has.Some.EqualTo("  card replace-with-mri"));
        Assert.That(lines, Has.Some.Matches(@"^    replace-with-mri +fired +After a normal radiograph, MRI without IV contrast"));
        Assert.That(lines, Has.Some.Matches(@"^ +\(fires when: PAIN, XR_NORMAL \(90 days\)"));
        Assert.That(lines, Has.Some.Matches(@"^    osteonecrosis-risk +did-not-fire +it needs: hip PAIN, ON_RISK not empty"));
        Assert.That(lines, Has.Some.EqualTo("    PAIN: Pain in left hip (M25.552), 2026-10-24"));
        Assert.That(lines, Has.Some.EqualTo("    XR_NORMAL: XR Hip - left Views: Plain X-ray of hip joint normal, 2026-11-07"));
        Assert.That(lines, Has.Some.Matches(@"^  patient +supplied +1 resource$"));
        Assert.That(lines, Has.Some.Matches(@"^Timings \(ms\): parse [0-9.]+, record [0-9.]+, evaluate [0-9.]+, cards [0-9.]+, total [0-9.]+$"));
    }

    [Test]
    public void C2_explained_says_why_the_first_hip_xray_gets_no_card()
    {
        var (code, output, err) = Run("evaluate", C2, "--now", Now, "--explain");

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        Assert.That(output, Does.StartWith("no cards"));
        Assert.That(output, Does.Contain("  silent (first-xray): first X-ray of the hip: radiographs first"));
        Assert.That(output, Does.Match(@"replace-with-mri +not-run +first X-ray of the hip"));
        Assert.That(output, Does.Match(@"osteonecrosis-risk +did-not-fire +it needs: hip PAIN, ON_RISK not empty"), "the one rule a first hip X-ray lets speak");
    }

    [Test]
    public void C1_explained_as_json_is_one_document_with_the_response_and_the_explanation()
    {
        var (code, output, err) = Run("evaluate", C1, "--now", Now, "--explain", "--format", "json");

        Assert.That(code, Is.EqualTo(ExitCodes.Ok), err);
        var document = JsonNode.Parse(output)!;
        Assert.That((int?)document["status"], Is.EqualTo(200));
        Assert.That((string?)document["response"]!["cards"]![0]!["source"]!["topic"]!["code"], Is.EqualTo("replace-with-mri"));
        var explanation = document["explanation"]!;
        Assert.That((string?)explanation["service"], Is.EqualTo("bmes-order-select"));
        Assert.That((string?)explanation["evaluatedAt"], Does.StartWith("2026-11-28T12:00:00"));
        var judgement = explanation["judgements"]!.AsArray().Single()!;
        Assert.That((string?)judgement["order"], Is.EqualTo("ServiceRequest/ct-hip-left"));
        Assert.That((string?)judgement["cardRule"], Is.EqualTo("replace-with-mri"));
        var rules = judgement["rules"]!.AsArray().ToDictionary(rule => (string)rule!["id"]!, rule => (string)rule!["outcome"]!);
        Assert.That(rules["replace-with-mri"], Is.EqualTo("fired"));
        Assert.That(rules.Where(rule => rule.Key != "replace-with-mri").Select(rule => rule.Value), Is.All.EqualTo("did-not-fire"));
        Assert.That(judgement["findings"]!.AsArray().Select(finding => (string?)finding!["name"]), Does.Contain("PAIN").And.Contain("XR_NORMAL"));
        var keys = explanation["prefetch"]!.AsArray();
        Assert.That(keys, Has.Count.EqualTo(10));
        Assert.That(keys.Select(key => (string?)key!["source"]), Is.All.EqualTo("supplied"), "every key is in the sample's prefetch");
    }
}
