namespace BmesCds.Service.Health;

/// <summary>Something that must be ready before the service takes traffic (e.g. the warmed FHIR validator).</summary>
public interface IReadinessCheck
{
    string Name { get; }

    bool IsReady { get; }
}

/// <summary>Ready once the terminology is loaded, which happens before the host starts: registered so /health/ready lists it.</summary>
internal sealed class TerminologyReadiness : IReadinessCheck
{
    public string Name => "terminology";

    public bool IsReady => true;
}

/// <summary>Ready once the FHIR validator has been warmed in the background (at once when incoming validation is Off).</summary>
internal sealed class ValidatorReadinessCheck(Validation.ValidatorReadiness readiness) : IReadinessCheck
{
    public string Name => "fhir-validator";

    public bool IsReady => readiness.IsReady;
}
