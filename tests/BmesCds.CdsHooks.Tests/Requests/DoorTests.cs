using System.Text;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Findings;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Requests;

/// <summary>
/// What the door refuses before anything reads a request: broken text (invalid UTF-8, lone surrogates), and every
/// configured limit, each named in the answer (issue 12).
/// </summary>
public sealed class DoorTests
{
    private static readonly FhirJsonWalker Walker = new(new RecordInterest(Vocabulary.Terminology));

    private static readonly string Valid = File.ReadAllText(Repository.Combine("samples", "cases", LargeRequests.C1File));

    private static ProtocolError? Refusal(byte[] body, RequestLimits? limits = null) =>
        HookRequestParser.Parse(body, HookKind.OrderSelect, limits ?? new RequestLimits(), Walker).Error;

    private static ProtocolError? Refusal(string body, RequestLimits? limits = null) => Refusal(Encoding.UTF8.GetBytes(body), limits);

    [Test]
    public void The_sample_passes_the_door() => Assert.That(Refusal(Valid), Is.Null);

    [Test]
    public void Invalid_utf8_in_a_string_is_refused_naming_the_field()
    {
        var body = Encoding.UTF8.GetBytes(Valid.Replace("\"patientId\": \"c1\"", "\"patientId\": \"c\uFFFD\"", StringComparison.Ordinal));
        var marker = Encoding.UTF8.GetBytes("\uFFFD");
        var at = body.AsSpan().IndexOf(marker);
        Assume.That(at, Is.GreaterThan(0));
        body[at] = 0xFF;
        body[at + 1] = 0xFE;
        body[at + 2] = (byte)'x';

        var error = Refusal(body)!;

        Assert.That(error.Field, Is.EqualTo("context.patientId"));
        Assert.That(error.Message, Does.Contain("not valid UTF-8"));
        Assert.That(error.HttpStatus, Is.EqualTo(400));
    }

    [TestCase("\\ud800", "a lone high surrogate")]
    [TestCase("\\udc00", "a lone low surrogate")]
    [TestCase("\\ud800\\u0041", "a high surrogate with no low one")]
    public void An_escaped_lone_surrogate_is_refused_naming_the_field(string escape, string what)
    {
        var error = Refusal(Valid.Replace("\"userId\": \"Practitioner/", $"\"userId\": \"{escape}Practitioner/", StringComparison.Ordinal))!;
        Assert.That(error.Field, Is.EqualTo("context.userId"), what);
    }

    [Test]
    public void A_surrogate_pair_and_an_escaped_backslash_before_u_are_fine()
    {
        Assert.That(Refusal(Valid.Replace("\"userId\": \"Practitioner/", "\"userId\": \"\\ud83d\\ude00\\\\ud800Practitioner/", StringComparison.Ordinal)), Is.Null);
    }

    [Test]
    public void A_lone_surrogate_in_a_property_name_is_refused()
    {
        var error = Refusal(Valid.Replace("\"hook\":", "\"x\\udfff\": 1, \"hook\":", StringComparison.Ordinal))!;
        Assert.That(error.Message, Does.Contain("surrogate"));
        Assert.That(error.Field, Is.Empty);
    }

    [Test]
    public void Nesting_deeper_than_the_limit_is_refused_with_413_naming_the_setting()
    {
        var deep = new string('[', 80) + new string(']', 80);
        var error = Refusal(Valid.Replace("\"hook\":", $"\"deep\": {deep}, \"hook\":", StringComparison.Ordinal))!;
        Assert.That((error.HttpStatus, error.Message), Is.EqualTo((413, "the JSON nests deeper than 64 levels (setting Requests:MaxJsonDepth)")));
    }

    [Test]
    public void A_string_longer_than_the_limit_is_refused_with_413_naming_the_setting()
    {
        var limits = new RequestLimits { MaxStringBytes = 2048 };
        var error = Refusal(Valid.Replace("\"hook\":", $"\"note\": \"{new string('a', 3000)}\", \"hook\":", StringComparison.Ordinal), limits)!;
        Assert.That((error.HttpStatus, error.Message), Is.EqualTo((413, "a JSON string is longer than 2048 bytes (setting Requests:MaxStringBytes)")));
    }

    [Test]
    public void More_prefetch_resources_than_the_limit_are_refused_with_413()
    {
        var error = Refusal(Encoding.UTF8.GetString(LargeRequests.C1With(250)), new RequestLimits { MaxPrefetchResources = 100 })!;
        Assert.That((error.HttpStatus, error.Field), Is.EqualTo((413, "prefetch")));
        Assert.That(error.Message, Does.Contain("Requests:MaxPrefetchResources"));
    }

    [Test]
    public void More_selections_than_the_limit_are_refused_with_413()
    {
        var many = string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"ServiceRequest/s{i}\""));
        var error = Refusal(Valid.Replace("\"selections\": [", $"\"selections\": [{many},", StringComparison.Ordinal), new RequestLimits { MaxSelections = 10 })!;
        Assert.That((error.HttpStatus, error.Field), Is.EqualTo((413, "context.selections")));
        Assert.That(error.Message, Does.Contain("Requests:MaxSelections"));
    }

    [Test]
    public void More_draft_orders_than_the_limit_are_refused_with_413()
    {
        var order = """{"resource":{"resourceType":"ServiceRequest","status":"draft","intent":"order"}}""";
        var at = Valid.IndexOf("\"entry\": [", StringComparison.Ordinal) + "\"entry\": [".Length;
        var error = Refusal(Valid.Insert(at, string.Join(",", Enumerable.Repeat(order, 12)) + ","), new RequestLimits { MaxDraftOrders = 10 })!;
        Assert.That((error.HttpStatus, error.Field), Is.EqualTo((413, "context.draftOrders")), error.ToString());
        Assert.That(error.Message, Does.Contain("Requests:MaxDraftOrders"));
    }

    [TestCase("a\nb")]
    [TestCase("a\rb")]
    [TestCase("a\u0000b")]
    [TestCase("a b")]
    public void An_access_token_that_could_split_a_header_is_refused(string token)
    {
        var auth = $"\"fhirAuthorization\": {{\"access_token\": {System.Text.Json.JsonSerializer.Serialize(token)}, \"token_type\": \"Bearer\"}}, \"fhirServer\": \"https://ehr.example.org/fhir\", \"hook\":";
        var error = Refusal(Valid.Replace("\"hook\":", auth, StringComparison.Ordinal))!;
        Assert.That(error.Field, Is.EqualTo("fhirAuthorization.access_token"));
    }
}
