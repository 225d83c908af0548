using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Responses;

/// <summary>
/// Rewrites the engine's replace suggestions (delete a draft ServiceRequest, create the proposed one) as ONE update of
/// that draft order, for clients that apply only updates. The CDS Hooks sandbox's PAMA screen is one: it applies an
/// `update` whose resource carries the Argonaut `pama-rating` extension and a `reasonCode`, shows the study from
/// `code.coding[0]`, and ignores delete and create. The updated order keeps its id, status, intent, subject and
/// reasons; it takes the proposed order's code (the client's own code system first, so a CPT-coded draft shows the CPT
/// MRI code), body site and note, and is rated `appropriate`. Every other suggestion is left as it is.
/// </summary>
public static class ReplaceSuggestionRewriter
{
    public const string PamaRatingExtension = "http://fhir.org/argonaut/Extension/pama-rating";
    public const string PamaRatingSystem = "http://fhir.org/argonaut/CodeSystem/pama-rating";

    public static IReadOnlyList<CardDraft> Rewrite(IReadOnlyList<CardDraft> cards, IReadOnlyList<Resource> draftOrders, ReplaceAction mode)
    {
        if (mode == ReplaceAction.DeleteAndCreate || draftOrders.Count == 0)
        {
            return cards;
        }

        return cards.Select(card => card with { Suggestions = card.Suggestions.Select(s => Rewrite(s, draftOrders)).ToList() }).ToList();
    }

    private static SuggestionDraft Rewrite(SuggestionDraft suggestion, IReadOnlyList<Resource> draftOrders)
    {
        var deletes = suggestion.Actions
            .Where(action => action.Kind == ActionKind.Delete && DraftOrder(action.ResourceId, draftOrders) is not null)
            .ToList();
        var create = suggestion.Actions.FirstOrDefault(action => action.Kind == ActionKind.Create && action.Resource is ServiceRequest { Code: not null });
        if (deletes.Count != 1 || create is null)
        {
            return suggestion;
        }

        var draft = DraftOrder(deletes[0].ResourceId, draftOrders)!;
        var proposed = (ServiceRequest)create.Resource!;
        var update = new ActionDraft(
            ActionKind.Update,
            $"Change the order to {proposed.Code?.Text ?? "the proposed study"}",
            UpdatedInPlace(draft, proposed),
            null);
        var actions = suggestion.Actions
            .Where(action => !ReferenceEquals(action, create))
            .Select(action => ReferenceEquals(action, deletes[0]) ? update : action)
            .ToList();
        return suggestion with { Actions = actions };
    }

    private static ServiceRequest? DraftOrder(string? resourceId, IReadOnlyList<Resource> draftOrders) =>
        resourceId is { } reference && reference.StartsWith("ServiceRequest/", StringComparison.Ordinal)
            ? draftOrders.OfType<ServiceRequest>().FirstOrDefault(order => $"ServiceRequest/{order.Id}" == reference)
            : null;

    private static ServiceRequest UpdatedInPlace(ServiceRequest draft, ServiceRequest proposed)
    {
        var updated = (ServiceRequest)draft.DeepCopy();
        updated.Code = InClientOrder((CodeableConcept)proposed.Code!.DeepCopy(), ClientSystem(draft.Code));
        if (proposed.BodySite.Count > 0)
        {
            updated.BodySite = [.. proposed.BodySite.Select(site => (CodeableConcept)site.DeepCopy())];
        }

        // The order's own reasons stay (the sandbox reads reasonCode back into its form); the proposal's only when it had none.
        if (updated.ReasonCode.Count == 0 && updated.ReasonReference.Count == 0)
        {
            updated.ReasonCode = [.. proposed.ReasonCode.Select(reason => (CodeableConcept)reason.DeepCopy())];
            updated.ReasonReference = [.. proposed.ReasonReference.Select(reason => (ResourceReference)reason.DeepCopy())];
        }

        updated.Note.AddRange(proposed.Note.Select(note => (Annotation)note.DeepCopy()));
        updated.Extension.RemoveAll(extension => extension.Url == PamaRatingExtension);
        updated.Extension.Add(new Extension(PamaRatingExtension, new CodeableConcept(PamaRatingSystem, "appropriate", "Appropriate")));

        // The rest is the EHR's as sent, blanks included, which the answer may not carry.
        EmptyElements.Prune(updated);
        return updated;
    }

    /// <summary>The code system the client ordered in: that of the draft's first coding with a system.</summary>
    private static string? ClientSystem(CodeableConcept? code) =>
        code?.Coding.FirstOrDefault(coding => !string.IsNullOrEmpty(coding.System))?.System;

    private static CodeableConcept InClientOrder(CodeableConcept code, string? clientSystem)
    {
        if (clientSystem is not null)
        {
            code.Coding = [.. code.Coding.OrderBy(coding => coding.System == clientSystem ? 0 : 1)];
        }

        return code;
    }
}
