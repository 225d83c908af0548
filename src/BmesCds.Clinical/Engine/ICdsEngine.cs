namespace BmesCds.Clinical.Engine;

/// <summary>Turns one hook's facts into card drafts. Never throws for any input; returns no cards when it has nothing to say.</summary>
public interface ICdsEngine
{
    IReadOnlyList<CardDraft> Evaluate(EvaluationRequest request);

    /// <summary>The cards and, for every order or joint looked at, why the engine spoke or stayed silent.</summary>
    Evaluation Judge(EvaluationRequest request);
}
