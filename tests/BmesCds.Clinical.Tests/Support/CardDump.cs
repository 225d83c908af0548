using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>Prints every sample case's cards, for reviewing wording: `dotnet test --filter Print_every_sample_case`.</summary>
public class CardDump
{
    [Test]
    [Explicit("Review aid, prints only.")]
    public void Print_every_sample_case()
    {
        foreach (var file in Fixtures.CaseFiles())
        {
            var cards = Fixtures.Engine().Evaluate(Fixtures.ToRequest(File.ReadAllText(file)));
            TestContext.Out.WriteLine($"### {Path.GetFileName(file)}: {cards.Count} card(s)");
            foreach (var card in cards)
            {
                TestContext.Out.WriteLine(Describe(card));
            }
        }
    }

    public static string Describe(CardDraft card)
    {
        var lines = new List<string> { $"[{card.RuleId} / {card.Indicator}] {card.Summary}", card.Detail ?? string.Empty };
        foreach (var suggestion in card.Suggestions)
        {
            lines.Add($"  * {(suggestion.IsRecommended ? "(recommended) " : string.Empty)}{suggestion.Label}");
            foreach (var action in suggestion.Actions)
            {
                var codes = action.Resource switch
                {
                    ServiceRequest request => string.Join(",", request.Code?.Coding.Select(coding => coding.Code) ?? []) + " site " + string.Join(",", request.BodySite.SelectMany(site => site.Coding).Select(coding => coding.Code)) + $" intent {request.Intent}",
                    Condition condition => string.Join(",", condition.Code?.Coding.Select(coding => coding.Code) ?? []),
                    _ => action.ResourceId,
                };
                lines.Add($"      {action.Kind}: {action.Description} [{codes}]");
            }
        }

        return string.Join("\n", lines);
    }
}
