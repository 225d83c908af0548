using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace BmesCds.Service.Validation;

/// <summary>An OperationOutcome as an HTTP answer, in FHIR JSON (System.Text.Json alone would not write it as FHIR).</summary>
public static class OperationOutcomeResults
{
    // Thread-safe and costly to build: one per process.
    private static readonly FhirJsonSerializer Serializer = new();

    public const string FhirJson = "application/fhir+json";

    /// <summary>400 with the OperationOutcome of a Strict-mode validation failure.</summary>
    public static IResult BadRequest(OperationOutcome outcome) =>
        TypedResults.Content(Serializer.SerializeToString(outcome), FhirJson, System.Text.Encoding.UTF8, StatusCodes.Status400BadRequest);
}
