using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Engine;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Requests;

/// <summary>A request is refused only when it cannot be understood at all; each refusal names the field.</summary>
public sealed class RefusalTests
{
    private const string Valid = """
        {"hookInstance":"0bcfe322-199b-4f3f-8a23-e3f9f5b09413","hook":"order-select","fhirServer":"http://127.0.0.1:8190/fhir",
         "context":{"patientId":"pama-1","userId":"Practitioner/COREPRACTITIONER1","selections":["ServiceRequest/sr-1"],
           "draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"plan","subject":{"reference":"Patient/pama-1"}}}]}},
         "prefetch":{"patient":{"resourceType":"Patient","id":"pama-1"},"conditions":null,
           "problems":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden"}]}}}
        """;

    private static ProtocolError? Refusal(string json) =>
        HookRequests.Parse(json, HookKind.OrderSelect).Error;

    private static string With(string find, string replace)
    {
        var changed = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.That(changed, Is.Not.EqualTo(Valid), $"the valid request has no '{find}'");
        return changed;
    }

    [Test]
    public void The_valid_request_is_not_refused_and_keeps_null_and_outcome_prefetch_keys_apart()
    {
        var parsed = HookRequests.Parse(Valid, HookKind.OrderSelect);

        Assert.That(parsed.Error, Is.Null);
        Assert.That(parsed.Value!.Prefetch["patient"].Kind, Is.EqualTo(PrefetchValueKind.Resource));
        Assert.That(parsed.Value.Prefetch["conditions"].Kind, Is.EqualTo(PrefetchValueKind.Null));
        Assert.That(parsed.Value.Prefetch["problems"].Kind, Is.EqualTo(PrefetchValueKind.OperationOutcome));
        Assert.That(parsed.Value.Prefetch.ContainsKey("observations"), Is.False);
    }

    [Test]
    public void Required_cds_hooks_fields_missing_is_refused()
    {
        Assert.That(Refusal(With("\"hook\":\"order-select\",", string.Empty))!.Field, Is.EqualTo("hook"));
    }

    [Test]
    public void Draft_orders_that_are_not_a_bundle_are_refused()
    {
        var error = Refusal(With("\"draftOrders\":{\"resourceType\":\"Bundle\",", "\"draftOrders\":{\"resourceType\":\"List\","));

        Assert.That(error!.Field, Is.EqualTo("context.draftOrders"));
    }

    [Test]
    public void A_resource_without_a_known_resource_type_is_refused()
    {
        var error = Refusal(With("\"resourceType\":\"ServiceRequest\"", "\"resourceType\":\"RadiologyOrder\""));

        Assert.That(error!.Field, Is.EqualTo("context.draftOrders.entry[0].resource"));
        Assert.That(error.Message, Does.Contain("'RadiologyOrder' is not a FHIR R4 resource type"));
    }

    [Test]
    public void Content_the_recoverable_reader_also_refuses_is_refused()
    {
        var error = Refusal(With("\"intent\":\"plan\"", "\"intent\":\"plan\",\"occurrenceDateTime\":\"2026-11-28\",\"occurrencePeriod\":{\"start\":\"2026-11-28\"}"));

        Assert.That(error!.Field, Is.EqualTo("context.draftOrders.entry[0].resource"));
        Assert.That(error.Message, Does.Contain("appears twice"));
    }

    [Test]
    public void A_draft_orders_entry_that_is_not_an_object_is_refused()
    {
        var error = Refusal(With("\"entry\":[{\"resource\"", "\"entry\":[42,{\"resource\""));

        Assert.That(error!.Field, Is.EqualTo("context.draftOrders.entry[0]"));
    }

    [Test]
    public void A_token_type_other_than_bearer_is_refused()
    {
        var error = Refusal(With("\"fhirServer\":", "\"fhirAuthorization\":{\"access_token\":\"t\",\"token_type\":\"MAC\"},\"fhirServer\":"));

        Assert.That(error!.Field, Is.EqualTo("fhirAuthorization.token_type"));
    }

    [Test]
    public void The_access_token_never_appears_in_the_authorization_text()
    {
        var json = With("\"fhirServer\":", "\"fhirAuthorization\":{\"access_token\":\"TOPSECRET\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"user/*.read\",\"subject\":\"bmes\"},\"fhirServer\":");

        var request = HookRequests.Parse(json, HookKind.OrderSelect).Value!;

        Assert.That(request.FhirAuthorization!.AccessToken, Is.EqualTo("TOPSECRET"));
        Assert.That(request.FhirAuthorization.ToString(), Does.Not.Contain("TOPSECRET"));
        Assert.That(request.ToString(), Does.Not.Contain("TOPSECRET"));
    }
}
