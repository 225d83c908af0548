using System.Diagnostics;

namespace BmesCds.CdsHooks.Pipeline;

/// <summary>
/// The pipeline's own span: the engine's evaluation, child of whatever span the host opened for the call (the service
/// opens one per hook call on the same ActivitySource name, BmesCds). Nothing listens, nothing is made: a flag check.
/// </summary>
public static class PipelineActivities
{
    /// <summary>The ActivitySource name, shared with the host's spans.</summary>
    public const string SourceName = "BmesCds";

    public const string EvaluationSpan = "bmes_cds.evaluate";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartEvaluation() => Source.StartActivity(EvaluationSpan, ActivityKind.Internal);
}
