namespace BmesCds.Clinical.Engine;

/// <summary>Turns one hook's facts into card drafts. Never throws for any input; returns no cards when it has nothing to say.</summary>
public interface ICdsEngine
{
    IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request);
}
