using BmesCds.CdsHooks.Requests;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical.Engine;
using BmesCds.Ledger.Records;
using Hl7.Fhir.Model;

namespace BmesCds.Service.Ledger;

/// <summary>
/// A card draft and the card made from it, as a ledger row: rule, merged rules, subject, codes of the judged order and
/// of each suggestion's resources ("system|code"), uuids. The judged order is stored by its codes only, never its id.
/// </summary>
internal static class IssuedCards
{
    public static IssuedCard From(LedgerCall call, CardDraft draft, Card card, CardMode mode, DateTimeOffset issuedAt, string patientKey)
    {
        var suggestions = new List<IssuedSuggestion>();
        for (var i = 0; i < draft.Suggestions.Count && i < (card.Suggestions?.Count ?? 0); i++)
        {
            var suggestion = draft.Suggestions[i];
            suggestions.Add(new IssuedSuggestion(
                card.Suggestions![i].Uuid,
                suggestion.Label,
                [.. suggestion.Actions.SelectMany(action => Codes(action.Resource)).Distinct(StringComparer.Ordinal)]));
        }

        return new IssuedCard(
            card.Uuid,
            mode,
            issuedAt,
            call.ServiceId,
            HookNames.Of(call.Hook),
            call.HookInstance,
            call.Client,
            patientKey,
            draft.RuleId,
            draft.FiredRuleIds.Count > 0 ? draft.FiredRuleIds : [draft.RuleId],
            card.Indicator,
            draft.Subject.JointCode,
            draft.Subject.SideCode,
            OrderCodes(call.DraftOrders, draft.Subject.OrderReference),
            suggestions);
    }

    private static List<string> OrderCodes(IReadOnlyList<Resource> draftOrders, string? reference)
    {
        const string Prefix = "ServiceRequest/";
        if (reference is null || !reference.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return [];
        }

        var id = reference[Prefix.Length..];
        return draftOrders.OfType<ServiceRequest>().FirstOrDefault(order => order.Id == id) is { } judged ? [.. Codes(judged)] : [];
    }

    private static IEnumerable<string> Codes(Resource? resource) =>
        (resource switch
        {
            ServiceRequest order => order.Code?.Coding,
            Condition condition => condition.Code?.Coding,
            _ => null,
        } ?? [])
        .Where(coding => !string.IsNullOrEmpty(coding.Code))
        .Select(coding => $"{coding.System}|{coding.Code}");
}
