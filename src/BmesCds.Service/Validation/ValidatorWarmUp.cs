using System.Diagnostics;
using BmesCds.Profiles;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;
using Task = System.Threading.Tasks.Task;

namespace BmesCds.Service.Validation;

/// <summary>
/// Builds and warms the FHIR validator once, in the background, at start-up: the first validation of each resource
/// type costs seconds (the core specification is unpacked, schemas compiled), later ones milliseconds. Readiness is
/// signalled when done. With <c>Validation:Incoming</c> Off nothing is validated at run time: ready at once.
/// </summary>
public sealed class ValidatorWarmUp(
    ProfileValidator validator,
    ValidatorReadiness readiness,
    IOptions<FhirValidationOptions> options,
    ILogger<ValidatorWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Incoming == IncomingValidationMode.Off)
        {
            readiness.MarkReady(TimeSpan.Zero);
            return;
        }

        var clock = Stopwatch.StartNew();
        // Off the start-up thread: Firely's validator is synchronous and CPU-bound.
        await Task.Run(() => WarmUp(validator), stoppingToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        readiness.MarkReady(elapsed);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("FHIR validator warm in {WarmUpMs} ms ({Mode} validation of incoming resources)",
                (long)elapsed.TotalMilliseconds, options.Value.Incoming);
        }
    }

    /// <summary>Validates one small instance of every resource type the service receives, so each schema is compiled.</summary>
    internal static void WarmUp(ProfileValidator validator)
    {
        foreach (var resource in WarmUpResources())
        {
            _ = validator.Validate(resource);
        }
    }

    private static IEnumerable<Resource> WarmUpResources()
    {
        var patient = new ResourceReference("Patient/warm-up");
        var code = new CodeableConcept("http://snomed.info/sct", "49218002");
        var draftOrder = new ServiceRequest
        {
            Id = "warm-up",
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept("http://loinc.org", "36488-5"),
            Subject = patient,
        };
        yield return draftOrder;
        yield return new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Entry = [new Bundle.EntryComponent { FullUrl = "urn:uuid:7d3a0a4c-0f6b-4f7e-9d0e-3f0c1b6a2e11", Resource = draftOrder }],
        };
        yield return new Patient { Id = "warm-up", Gender = AdministrativeGender.Male, BirthDate = "1980-01-01" };
        yield return new Condition { Subject = patient, Code = code };
        yield return new Observation { Status = ObservationStatus.Final, Code = code, Subject = patient };
        yield return new ImagingStudy { Status = ImagingStudy.ImagingStudyStatus.Available, Subject = patient };
        yield return new DiagnosticReport { Status = DiagnosticReport.DiagnosticReportStatus.Final, Code = code, Subject = patient };
        yield return new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = code,
            Subject = patient,
        };
        yield return new MedicationStatement { Status = MedicationStatement.MedicationStatusCodes.Active, Medication = code, Subject = patient };
        yield return new Encounter { Status = Encounter.EncounterStatus.InProgress, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB") };
    }
}
