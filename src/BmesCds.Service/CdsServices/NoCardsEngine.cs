using BmesCds.Clinical.Engine;

namespace BmesCds.Service.CdsServices;

/// <summary>Placeholder until the clinical engine lands: always silent.</summary>
internal sealed class NoCardsEngine : ICdsEngine
{
    public IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request) => [];
}
