using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Testing;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Tests.Requests;

/// <summary>
/// The CDS Hooks sandbox sends FHIR that Firely's default reader rejects. Each quirk is read leniently: the
/// unusable part is dropped, the rest is kept, and the request goes on.
/// </summary>
public sealed class SandboxQuirkTests
{
    private static HookRequest ParseOrderSelect(string draftOrderResource)
    {
        var json = """
            {"hookInstance":"0bcfe322-199b-4f3f-8a23-e3f9f5b09413","hook":"order-select",
             "context":{"patientId":"pama-1","userId":"Practitioner/COREPRACTITIONER1","selections":["ServiceRequest/example-request-id"],
               "draftOrders":{"resourceType":"Bundle","entry":[{"resource":
            """ + draftOrderResource + "}]}}}";
        var parsed = HookRequests.Parse(json, HookKind.OrderSelect);
        Assert.That(parsed.Error, Is.Null, parsed.Error?.ToString());
        return parsed.Value!;
    }

    [Test]
    public void A_draft_orders_bundle_without_type_is_read()
    {
        var request = ParseOrderSelect("""{"resourceType":"ServiceRequest","id":"example-request-id","status":"draft","intent":"plan","subject":{"reference":"Patient/pama-1"}}""");

        Assert.That(request.DraftOrders, Has.Count.EqualTo(1));
        Assert.That(request.DraftOrders[0].Id, Is.EqualTo("example-request-id"));
    }

    [Test]
    public void An_empty_coding_object_is_dropped_and_the_order_kept()
    {
        var request = ParseOrderSelect("""{"resourceType":"ServiceRequest","id":"example-request-id","status":"draft","intent":"plan","code":{"coding":[{}]},"subject":{"reference":"Patient/pama-1"}}""");

        var order = (ServiceRequest)request.DraftOrders[0];
        Assert.That(order.Code?.Coding.All(coding => coding.Code is null) ?? true, Is.True);
        Assert.That(request.DraftOrderReadIssues.Select(issue => issue.Location), Has.Some.Contains("code.coding[0]"));
    }

    [Test]
    public void An_empty_reason_code_array_is_dropped_and_the_order_kept()
    {
        var request = ParseOrderSelect("""{"resourceType":"ServiceRequest","id":"example-request-id","status":"draft","intent":"plan","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"73700"}]},"reasonCode":[],"subject":{"reference":"Patient/pama-1"}}""");

        var order = (ServiceRequest)request.DraftOrders[0];
        Assert.That(order.ReasonCode, Is.Empty);
        Assert.That(order.Code!.Coding[0].Code, Is.EqualTo("73700"));
    }

    [Test]
    public void A_medication_request_without_intent_is_read()
    {
        var request = ParseOrderSelect("""{"resourceType":"MedicationRequest","id":"request-123","status":"draft","subject":{"reference":"Patient/pama-1"},"authoredOn":"2026-11-28"}""");

        // A missing required element is a validation finding (Validation:Incoming), not a reading problem.
        Assert.That(request.DraftOrders[0], Is.InstanceOf<MedicationRequest>());
        Assert.That(((MedicationRequest)request.DraftOrders[0]).Intent, Is.Null);
    }

    [Test]
    public void Read_issues_carry_locations_and_codes_but_no_values()
    {
        var request = ParseOrderSelect("""{"resourceType":"ServiceRequest","id":"x","status":"draft","intent":"plan","code":{"text":"SECRET","coding":[{}]},"subject":{"reference":"Patient/pama-1"}}""");

        var issue = request.DraftOrderReadIssues.Single(i => i.Location.Contains("code.coding[0]", StringComparison.Ordinal));
        Assert.That(issue.Code, Is.Not.Empty);
        Assert.That(issue.Location + issue.Code, Does.Not.Contain("SECRET"));
    }

    [TestCase("order-select-pama-screen-opened.json")]
    [TestCase("order-select-pama-study-chosen.json")]
    [TestCase("order-select-pama-study-and-reason.json")]
    [TestCase("order-select-rx-view.json")]
    public void Every_sandbox_order_select_capture_parses(string file)
    {
        var json = File.ReadAllText(Path.Combine(TestPaths.SandboxCaptures, file));

        var parsed = HookRequests.Parse(json, HookKind.OrderSelect);

        Assert.That(parsed.Error, Is.Null, parsed.Error?.ToString());
        Assert.That(parsed.Value!.Context.UserId, Is.EqualTo("Practitioner/COREPRACTITIONER1"));
        Assert.That(parsed.Value.Context.EncounterId, Is.Null);
        Assert.That(parsed.Value.FhirAuthorization, Is.Null);
        Assert.That(parsed.Value.DraftOrders, Has.Count.EqualTo(1));
    }

    [Test]
    public void The_sandbox_patient_view_capture_parses()
    {
        var json = File.ReadAllText(Path.Combine(TestPaths.SandboxCaptures, "patient-view.json"));

        var parsed = HookRequests.Parse(json, HookKind.PatientView);

        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Value!.Context.PatientId, Is.EqualTo("pama-1"));
        Assert.That(parsed.Value.Prefetch.Keys, Is.EquivalentTo(new[] { "patient" }));
    }
}
