namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>What an answer is, by where the input went.</summary>
public enum AnswerKind
{
    /// <summary>A CDS service: a CDS Hooks response, or an OperationOutcome.</summary>
    CdsResponse,

    /// <summary>Feedback: a receipt, or an OperationOutcome.</summary>
    FeedbackReceipt,

    /// <summary>The integration console's POST /console/evaluate: the call's status, response and explanation.</summary>
    ExplainedAnswer,
}

/// <summary>
/// Where input n is sent, by a hash of n (not n itself: the mutation wheel's 40 slots would tie each kind to one route):
/// half the inputs to the default host's service, a quarter to the service of the host that writes replace suggestions
/// as updates, a quarter to that host's integration console (POST /console/evaluate: the same pipeline, then the
/// explanation built from it). Feedback always goes to its endpoint, on either host.
/// </summary>
public sealed record FuzzRoute(FuzzHost Host, string Path, AnswerKind Answer)
{
    public const string ConsolePath = "/console/evaluate";

    public static FuzzRoute For(int index, FuzzInput input, FuzzHost deleteAndCreate, FuzzHost update)
    {
        var lot = InputRandom.Mix((ulong)index) % 4;
        if (!input.Seed.IsHookCall)
        {
            return new(lot < 2 ? deleteAndCreate : update, input.Seed.Endpoint, AnswerKind.FeedbackReceipt);
        }

        return lot switch
        {
            0 or 2 => new(deleteAndCreate, input.Seed.Endpoint, AnswerKind.CdsResponse),
            1 => new(update, input.Seed.Endpoint, AnswerKind.CdsResponse),
            _ => new(update, ConsolePath, AnswerKind.ExplainedAnswer),
        };
    }

    /// <summary>For the summary: the endpoint kind and the host.</summary>
    public string Name => Answer switch
    {
        AnswerKind.ExplainedAnswer => $"console ({Host.ReplaceAction})",
        AnswerKind.FeedbackReceipt => $"feedback ({Host.ReplaceAction})",
        _ => $"service ({Host.ReplaceAction})",
    };
}
