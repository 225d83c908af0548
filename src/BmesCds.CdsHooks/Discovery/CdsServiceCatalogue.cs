using BmesCds.Clinical.Engine;

namespace BmesCds.CdsHooks.Discovery;

/// <summary>One CDS service BmesCds offers: its id (the URL segment) and the hook it answers.</summary>
public sealed record CdsServiceDefinition(string Id, HookKind Hook, string Title, string Description, string UsageRequirements);

/// <summary>The services BmesCds offers. Discovery is generated from this list, and so is routing.</summary>
public static class CdsServiceCatalogue
{
    private const string Usage =
        "Works from prefetch alone when every prefetch key is filled (or null); otherwise needs fhirServer (https in " +
        "production) and, for a secured server, fhirAuthorization with read access to the patient's Patient, Condition, " +
        "Observation, ImagingStudy, DiagnosticReport, ServiceRequest, MedicationRequest, MedicationStatement, " +
        "MedicationAdministration and Medication resources (a Medication that a medicationReference names and the " +
        "prefetch does not include is read from fhirServer).";

    public static IReadOnlyList<CdsServiceDefinition> All { get; } =
    [
        new(
            "bmes-order-select",
            HookKind.OrderSelect,
            "BMES imaging advisor (order select)",
            "When an imaging study of the hip, knee or ankle is selected for a patient with joint pain, recommends MRI " +
            "without contrast when it is the right next test for suspected bone marrow edema syndrome (transient " +
            "osteoporosis), and flags possible osteonecrosis. Silent otherwise.",
            Usage),
        new(
            "bmes-order-sign",
            HookKind.OrderSign,
            "BMES imaging advisor (order sign)",
            "Reviews every imaging order of the hip, knee or ankle about to be signed, with the same rules as order " +
            "select: MRI without contrast when it is the right next test, osteonecrosis flagged. Silent otherwise.",
            Usage),
        new(
            "bmes-patient-view",
            HookKind.PatientView,
            "BMES joint pain review (patient view)",
            "When a chart is opened, reviews each painful hip, knee or ankle: proposes MRI without contrast after a normal " +
            "X-ray for persistent pain, and flags osteonecrosis features or risk that the problem list does not show yet.",
            Usage),
    ];

    public static CdsServiceDefinition? Find(string id) =>
        All.FirstOrDefault(service => string.Equals(service.Id, id, StringComparison.Ordinal));

    /// <summary>The service that answers <paramref name="hook"/> (each hook has one).</summary>
    public static CdsServiceDefinition ForHook(HookKind hook) => All.First(service => service.Hook == hook);
}
