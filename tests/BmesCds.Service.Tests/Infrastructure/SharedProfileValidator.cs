using BmesCds.Profiles;
using BmesCds.Service.Validation;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// One FHIR validator for the whole test assembly, built and warmed as the service's hosted warm-up does it: a cold
/// validator costs seconds to tens of seconds of CPU, so the suite pays once. Thread-safe (it serialises its calls).
/// </summary>
public static class SharedProfileValidator
{
    private static readonly Lazy<ProfileValidator> Warm = new(() =>
    {
        var validator = ProfileValidator.Create(Path.Combine(AppContext.BaseDirectory, "fhir-profiles"));
        ValidatorWarmUp.WarmUp(validator);
        return validator;
    });

    public static ProfileValidator Instance => Warm.Value;
}
