using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>Readable assertions on card drafts: rule, indicator, and the exact codes of what suggestions create or delete.</summary>
public static class CardAssert
{
    public static CardDraft Single(IReadOnlyList<CardDraft> cards, string ruleId, CardIndicator indicator)
    {
        Assert.That(cards, Has.Count.EqualTo(1), () => string.Join("\n", cards.Select(card => $"{card.RuleId}: {card.Summary}")));
        var card = cards[0];
        Assert.Multiple(() =>
        {
            Assert.That(card.RuleId, Is.EqualTo(ruleId));
            Assert.That(card.Indicator, Is.EqualTo(indicator));
            Assert.That(card.Summary, Has.Length.InRange(1, 139));
            Assert.That(card.OverrideReasons.Select(reason => reason.Code), Is.EqualTo(new[]
            {
                "mri-contraindicated", "mri-unavailable", "patient-declined", "already-addressed", "clinical-judgment",
            }));
            Assert.That(card.OverrideReasons.All(reason => !string.IsNullOrEmpty(reason.Display)), Is.True);
            Assert.That(card.Links, Is.Not.Empty);
        });
        if (card.Suggestions.Count > 0)
        {
            Assert.That(card.Suggestions.Count(suggestion => suggestion.IsRecommended), Is.EqualTo(1));
        }

        return card;
    }

    /// <summary>The one suggestion replaces the order: delete ServiceRequest/{orderId}, create an MRI with these codes.</summary>
    public static ServiceRequest Replaces(CardDraft card, string orderId, string loinc, string cpt, params string[] bodySites)
    {
        Assert.That(card.Suggestions, Has.Count.EqualTo(1));
        var actions = card.Suggestions[0].Actions;
        Assert.That(actions, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(actions[0].Kind, Is.EqualTo(ActionKind.Delete));
            Assert.That(actions[0].ResourceId, Is.EqualTo($"ServiceRequest/{orderId}"));
            Assert.That(actions[0].Resource, Is.Null);
            Assert.That(actions[1].Kind, Is.EqualTo(ActionKind.Create));
        });
        return Mri(actions[1].Resource, loinc, cpt, RequestIntent.Order, bodySites);
    }

    /// <summary>The joint code, then the side from the bmes-laterality extension.</summary>
    public static IEnumerable<string?> BodySiteCodes(IEnumerable<CodeableConcept> sites) =>
        BmesCds.Clinical.Imaging.BodySiteCodings.Of(sites).Select(coding => coding.Code);

    public static ServiceRequest Mri(Resource? resource, string loinc, string cpt, RequestIntent intent, params string[] bodySites)
    {
        Assert.That(resource, Is.InstanceOf<ServiceRequest>());
        var mri = (ServiceRequest)resource!;
        Assert.Multiple(() =>
        {
            Assert.That(mri.Id, Is.Null);
            Assert.That(mri.Status, Is.EqualTo(RequestStatus.Draft));
            Assert.That(mri.Intent, Is.EqualTo(intent));
            Assert.That(mri.Code!.Coding.Select(coding => $"{coding.System}|{coding.Code}"), Is.EqualTo(new[]
            {
                $"http://loinc.org|{loinc}", $"http://www.ama-assn.org/go/cpt|{cpt}",
            }));
            Assert.That(mri.BodySite, Has.Count.EqualTo(1));
            Assert.That(BodySiteCodes(mri.BodySite), Is.EqualTo(bodySites));
            Assert.That(mri.Meta?.Profile, Is.EqualTo(new[] { "https://bmes-cds.org/fhir/StructureDefinition/BmesMriServiceRequest" }));
            Assert.That(mri.Subject.Reference, Does.StartWith("Patient/"));
            Assert.That(mri.Requester?.Reference, Is.EqualTo("Practitioner/example"));
            Assert.That(mri.AuthoredOn, Is.EqualTo("2026-11-28T12:00:00Z"));
            Assert.That(mri.Note.Single().Text, Does.Contain("rule"));
        });
        return mri;
    }
}
