using BmesCds.CdsHooks.Conformance;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Imaging;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests.Responses;

public sealed class ReplaceSuggestionRewriterTests
{
    private const string Cpt = "http://www.ama-assn.org/go/cpt";
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";

    // The CDS Hooks sandbox's PAMA draft: CPT-coded, intent plan, a SNOMED reason.
    private static ServiceRequest CptDraft() => new()
    {
        Id = "example-request-id",
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Plan,
        Code = new CodeableConcept { Coding = [new Coding(Cpt, "73700", "CT lower extremity without contrast")], Text = "CT lower extremity without contrast" },
        Subject = new ResourceReference("Patient/c1"),
        ReasonCode = [new CodeableConcept(Snomed, "49218002", "Hip pain (finding)", "Hip pain (finding)")],
    };

    private static ServiceRequest ProposedMri() => new()
    {
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept
        {
            Coding = [new Coding(Loinc, "36488-5", "MR Hip - left WO contrast"), new Coding(Cpt, "73721", "MRI any joint of lower extremity; without contrast material")],
            Text = "MR Hip - left WO contrast",
        },
        Subject = new ResourceReference("Patient/c1"),
        ReasonReference = [new ResourceReference("Condition/c1-pain")],
        BodySite = [new CodeableConcept(Snomed, "24136001", "Hip joint")],
        Note = [new Annotation { Text = "Proposed by BMES Decision Support, rule replace-with-mri: MRI without IV contrast." }],
    };

    private static SuggestionDraft Replace(string draftId, params ActionDraft[] more) => new("Order MRI of the left hip without contrast instead", true,
    [
        new ActionDraft(ActionKind.Delete, "Remove the CT order", null, $"ServiceRequest/{draftId}"),
        new ActionDraft(ActionKind.Create, "Order MR Hip - left WO contrast", ProposedMri(), null),
        .. more,
    ]);

    private static CardDraft Card(params SuggestionDraft[] suggestions) =>
        new("replace-with-mri", "Replace with MRI without contrast", CardIndicator.Warning, "MRI without contrast is preferred over CT", null, suggestions, [], [],
            ["replace-with-mri"], new JudgedSubject(Joint.Hip, Side.Left, "ServiceRequest/example-request-id", null));

    private static ActionDraft OnlyAction(IReadOnlyList<CardDraft> cards)
    {
        var actions = cards.Single().Suggestions.Single().Actions;
        Assert.That(actions, Has.Count.EqualTo(1));
        return actions[0];
    }

    [Test]
    public void DeleteAndCreate_leaves_the_cards_as_the_engine_made_them()
    {
        IReadOnlyList<CardDraft> cards = [Card(Replace("example-request-id"))];

        Assert.That(ReplaceSuggestionRewriter.Rewrite(cards, [CptDraft()], ReplaceAction.DeleteAndCreate), Is.SameAs(cards));
    }

    [Test]
    public void Update_sends_one_action_that_rewrites_the_draft_order_in_place()
    {
        var action = OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [CptDraft()], ReplaceAction.Update));

        Assert.That(action.Kind, Is.EqualTo(ActionKind.Update));
        Assert.That(action.ResourceId, Is.Null);
        var order = (ServiceRequest)action.Resource!;
        Assert.That(order.Id, Is.EqualTo("example-request-id"));
        Assert.That(order.Intent, Is.EqualTo(RequestIntent.Plan), "the order's own intent and status stay");
        Assert.That(order.Status, Is.EqualTo(RequestStatus.Draft));
        Assert.That(order.Subject.Reference, Is.EqualTo("Patient/c1"));
        Assert.That(order.BodySite.Single().Coding[0].Code, Is.EqualTo("24136001"));
        Assert.That(order.Note.Single().Text, Does.StartWith("Proposed by"));
        Assert.That(action.Description, Is.EqualTo("Change the order to MR Hip - left WO contrast"));
    }

    [Test]
    public void A_CPT_coded_draft_gets_the_CPT_MRI_code_first_then_LOINC()
    {
        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [CptDraft()], ReplaceAction.Update)).Resource!;

        Assert.That(order.Code!.Coding.Select(c => (c.System, c.Code)), Is.EqualTo(new[] { (Cpt, "73721"), (Loinc, "36488-5") }));
        Assert.That(order.Code!.Text, Is.EqualTo("MR Hip - left WO contrast"));
    }

    [Test]
    public void A_LOINC_coded_draft_keeps_LOINC_first()
    {
        var draft = CptDraft();
        draft.Code = new CodeableConcept(Loinc, "36487-7", "CT Hip - left WO contrast");

        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update)).Resource!;

        Assert.That(order.Code!.Coding.Select(c => c.System), Is.EqualTo(new[] { Loinc, Cpt }));
    }

    [Test]
    public void The_orders_reasons_are_kept_and_the_proposals_are_not_added()
    {
        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [CptDraft()], ReplaceAction.Update)).Resource!;

        Assert.That(order.ReasonCode.Single().Coding.Single().Code, Is.EqualTo("49218002"));
        Assert.That(order.ReasonReference, Is.Empty);
    }

    [Test]
    public void A_draft_without_reasons_takes_the_proposals()
    {
        var draft = CptDraft();
        draft.ReasonCode = [];

        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update)).Resource!;

        Assert.That(order.ReasonReference.Single().Reference, Is.EqualTo("Condition/c1-pain"));
    }

    [Test]
    public void The_updated_order_is_rated_appropriate_with_the_Argonaut_extension_once()
    {
        var draft = CptDraft();
        draft.Extension.Add(new Extension(ReplaceSuggestionRewriter.PamaRatingExtension, new CodeableConcept(ReplaceSuggestionRewriter.PamaRatingSystem, "not-appropriate")));

        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update)).Resource!;

        var rating = order.Extension.Single(e => e.Url == "http://fhir.org/argonaut/Extension/pama-rating");
        var coding = ((CodeableConcept)rating.Value!).Coding.Single();
        Assert.That((coding.System, coding.Code), Is.EqualTo(("http://fhir.org/argonaut/CodeSystem/pama-rating", "appropriate")));
    }

    [Test]
    public void An_update_leaves_out_what_the_draft_order_sent_blank_or_empty()
    {
        // Found by the fuzz suite (issue 12): the update echoed an EHR's "intent": "" and broke CDS Hooks' no-empties rule.
        var draft = (ServiceRequest)LenientFhirReader.Read(
            """{"resourceType":"ServiceRequest","id":"example-request-id","status":"draft","intent":"","authoredOn":" ","subject":{"reference":""},"note":[{"text":""}],"code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"73700"}]}}"""u8,
            "ServiceRequest").Resource!;

        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update)).Resource!;

        var problems = new List<string>();
        JsonRules.CheckNoNullsOrEmpties(FhirJson.ToElement(order), "$", problems, allowEmptyArrayAt: string.Empty);
        Assert.That(problems, Is.Empty);
        Assert.That(order.Status, Is.EqualTo(RequestStatus.Draft), "what the order has is kept");
        Assert.That(order.Note.Single().Text, Does.StartWith("Proposed by"), "the blank note is gone, the proposal's is there");
    }

    [Test]
    public void Everything_else_of_the_draft_order_is_kept()
    {
        var draft = CptDraft();
        draft.Priority = RequestPriority.Urgent;
        draft.Requester = new ResourceReference("Practitioner/COREPRACTITIONER1");
        draft.AuthoredOn = "2026-11-28T11:59:00Z";

        var order = (ServiceRequest)OnlyAction(ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update)).Resource!;

        Assert.That(order.Priority, Is.EqualTo(RequestPriority.Urgent));
        Assert.That(order.Requester!.Reference, Is.EqualTo("Practitioner/COREPRACTITIONER1"));
        Assert.That(order.AuthoredOn, Is.EqualTo("2026-11-28T11:59:00Z"));
    }

    [Test]
    public void The_draft_order_the_client_sent_is_not_changed()
    {
        var draft = CptDraft();

        ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id"))], [draft], ReplaceAction.Update);

        Assert.That(draft.Code!.Coding.Single().Code, Is.EqualTo("73700"));
        Assert.That(draft.Extension, Is.Empty);
    }

    [Test]
    public void Other_actions_of_the_suggestion_stay_beside_the_update()
    {
        var condition = new ActionDraft(ActionKind.Create, "Add a provisional problem-list entry", new Condition(), null);

        var actions = ReplaceSuggestionRewriter.Rewrite([Card(Replace("example-request-id", condition))], [CptDraft()], ReplaceAction.Update)
            .Single().Suggestions.Single().Actions;

        Assert.That(actions.Select(a => a.Kind), Is.EqualTo(new[] { ActionKind.Update, ActionKind.Create }));
        Assert.That(actions[1], Is.SameAs(condition));
    }

    [Test]
    public void A_delete_of_an_order_that_is_not_among_the_draft_orders_is_not_rewritten()
    {
        var suggestion = Replace("some-signed-order");

        var rewritten = ReplaceSuggestionRewriter.Rewrite([Card(suggestion)], [CptDraft()], ReplaceAction.Update);

        Assert.That(rewritten.Single().Suggestions.Single(), Is.SameAs(suggestion));
    }

    [Test]
    public void A_create_only_suggestion_is_not_rewritten()
    {
        var suggestion = new SuggestionDraft("Order MRI", true, [new ActionDraft(ActionKind.Create, "Order MRI", ProposedMri(), null)]);

        var rewritten = ReplaceSuggestionRewriter.Rewrite([Card(suggestion)], [CptDraft()], ReplaceAction.Update);

        Assert.That(rewritten.Single().Suggestions.Single(), Is.SameAs(suggestion));
    }
}
