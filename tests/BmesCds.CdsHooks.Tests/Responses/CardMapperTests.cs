using System.Text.Json;
using BmesCds.CdsHooks.Conformance;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests.Responses;

public sealed class CardMapperTests
{
    private static CardDraft Draft(IReadOnlyList<SuggestionDraft>? suggestions = null, string summary = "Normal left hip X-ray: MRI without contrast is preferred over CT") => new(
        "replace-with-mri",
        "Replace with MRI",
        CardIndicator.Warning,
        summary,
        "- Left hip pain since 2026-10-20",
        suggestions ?? [],
        [],
        [new Coding("https://bmes-cds.org/fhir/CodeSystem/bmes-override-reason", "mri-unavailable", "MRI unavailable")],
        ["replace-with-mri"],
        new JudgedSubject(Joint.Hip, Side.Left, "ServiceRequest/sr-1", null));

    private static SuggestionDraft Replace() => new("Replace the CT with MRI of the left hip without contrast", true,
    [
        new ActionDraft(ActionKind.Delete, "Remove the CT order", null, "ServiceRequest/sr-1"),
        new ActionDraft(ActionKind.Create, "Order MRI", new ServiceRequest { Status = RequestStatus.Draft, Intent = RequestIntent.Order }, null),
    ]);

    private static JsonElement Write(CdsResponse response) =>
        JsonDocument.Parse(JsonSerializer.Serialize(response, CdsJson.Options)).RootElement;

    [Test]
    public void No_drafts_give_exactly_the_empty_answer()
    {
        var json = JsonSerializer.Serialize(new CardMapper(new CardOptions()).ToResponse([]), CdsJson.Options);

        Assert.That(json, Is.EqualTo("""{"cards":[]}"""));
    }

    [Test]
    public void A_card_with_suggestions_has_uuids_selection_behavior_and_resource_json()
    {
        var card = Write(new CardMapper(new CardOptions()).ToResponse([Draft([Replace()])])).GetProperty("cards")[0];

        Assert.That(card.GetProperty("selectionBehavior").GetString(), Is.EqualTo("at-most-one"));
        Assert.That(Guid.TryParse(card.GetProperty("uuid").GetString(), out _), Is.True);
        var suggestion = card.GetProperty("suggestions")[0];
        Assert.That(Guid.TryParse(suggestion.GetProperty("uuid").GetString(), out _), Is.True);
        Assert.That(suggestion.GetProperty("isRecommended").GetBoolean(), Is.True);
        var actions = suggestion.GetProperty("actions");
        Assert.That(actions[0].GetProperty("resourceId").GetString(), Is.EqualTo("ServiceRequest/sr-1"));
        Assert.That(actions[0].TryGetProperty("resource", out _), Is.False);
        Assert.That(actions[1].GetProperty("resource").GetProperty("resourceType").GetString(), Is.EqualTo("ServiceRequest"));
        Assert.That(card.GetProperty("source").GetProperty("topic").GetProperty("code").GetString(), Is.EqualTo("replace-with-mri"));
    }

    [Test]
    public void Card_and_suggestion_uuids_are_version_7_and_ordered_as_issued()
    {
        var mapper = new CardMapper(new CardOptions());
        var uuids = new List<Guid>();
        for (var call = 0; call < 3; call++)
        {
            var card = Write(mapper.ToResponse([Draft([Replace()])])).GetProperty("cards")[0];
            uuids.Add(Guid.Parse(card.GetProperty("uuid").GetString()!));
            uuids.Add(Guid.Parse(card.GetProperty("suggestions")[0].GetProperty("uuid").GetString()!));
        }

        Assert.That(uuids.Select(uuid => uuid.Version), Is.All.EqualTo(7));
        Assert.That(uuids.Distinct().Count(), Is.EqualTo(uuids.Count));

        // The first 48 bits are the issue time in milliseconds: the ledger's keys follow the order cards were issued.
        var issuedAt = uuids.Select(uuid => uuid.ToString("N")[..12]).ToList();
        Assert.That(issuedAt, Is.Ordered);
    }

    [Test]
    public void A_card_without_suggestions_omits_suggestions_selection_behavior_and_links()
    {
        var card = Write(new CardMapper(new CardOptions()).ToResponse([Draft()])).GetProperty("cards")[0];

        Assert.That(card.TryGetProperty("suggestions", out _), Is.False);
        Assert.That(card.TryGetProperty("selectionBehavior", out _), Is.False);
        Assert.That(card.TryGetProperty("links", out _), Is.False);
        Assert.That(card.TryGetProperty("source", out var source) && !source.TryGetProperty("url", out _), Is.True);
    }

    [Test]
    public void The_rule_docs_url_is_the_base_plus_the_rule_id()
    {
        var options = new CardOptions { RuleDocsBaseUrl = new Uri("https://docs.example.org/rules/") };

        var card = Write(new CardMapper(options).ToResponse([Draft()])).GetProperty("cards")[0];

        Assert.That(card.GetProperty("source").GetProperty("url").GetString(), Is.EqualTo("https://docs.example.org/rules/replace-with-mri"));
    }

    [Test]
    public void An_over_long_summary_is_cut_below_140_characters()
    {
        var card = Write(new CardMapper(new CardOptions()).ToResponse([Draft(summary: new string('a', 200))])).GetProperty("cards")[0];

        Assert.That(card.GetProperty("summary").GetString()!.Length, Is.LessThan(140));
    }

    [Test]
    public void Every_mapped_response_conforms()
    {
        var response = Write(new CardMapper(new CardOptions()).ToResponse([Draft([Replace()]), Draft()]));

        Assert.That(ResponseConformance.Check(response), Is.Empty);
    }
}
