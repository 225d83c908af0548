using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

/// <summary>Bad input gets a clear 4xx with an OperationOutcome naming the field, never a 500.</summary>
public sealed class ErrorAnswerTests
{
    private BmesCdsFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new BmesCdsFactory(new Dictionary<string, string?> { ["Requests:MaxBodyBytes"] = "20000" });
        _client = _factory.CreateCheckedClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode body, string service = "bmes-order-select") =>
        _client.PostAsync($"/cds-services/{service}", Json.Body(body));

    private static async Task AssertOutcome(HttpResponseMessage response, HttpStatusCode status, string field, string wording)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/fhir+json"));
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.That(diagnostics, Does.Contain(wording));
        if (field.Length > 0)
        {
            Assert.That(expression, Is.EqualTo(field));
            Assert.That(diagnostics, Does.StartWith(field));
        }
    }

    [Test]
    public async Task A_valid_sandbox_shaped_request_is_answered_200()
    {
        var response = await PostAsync(Requests.OrderSelect());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Malformed_json_is_400_naming_the_position()
    {
        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body("{\"hook\": \"order-select\", "));

        await AssertOutcome(response, HttpStatusCode.BadRequest, string.Empty, "not valid JSON (line 1");
    }

    [Test]
    public async Task A_json_array_body_is_400()
    {
        var response = await _client.PostAsync("/cds-services/bmes-order-select", Json.Body("[]"));

        await AssertOutcome(response, HttpStatusCode.BadRequest, string.Empty, "must be a JSON object");
    }

    [Test]
    public async Task A_request_for_another_hook_is_400()
    {
        var response = await PostAsync(Requests.PatientView(), "bmes-order-select");

        await AssertOutcome(response, HttpStatusCode.BadRequest, "hook", "answers the 'order-select' hook");
    }

    [TestCase("hook")]
    [TestCase("hookInstance")]
    [TestCase("context")]
    public async Task A_missing_required_field_is_400_naming_it(string field)
    {
        var request = Requests.OrderSelect();
        request.Remove(field);

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, field, "is required");
    }

    [TestCase("patientId")]
    [TestCase("userId")]
    [TestCase("selections")]
    [TestCase("draftOrders")]
    public async Task Order_select_without_a_required_context_field_is_400_naming_it(string field)
    {
        var request = Requests.OrderSelect();
        request["context"]!.AsObject().Remove(field);

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, $"context.{field}", "is required");
    }

    [Test]
    public async Task Order_sign_without_draft_orders_is_400()
    {
        var request = Requests.OrderSign();
        request["context"]!.AsObject().Remove("draftOrders");

        var response = await PostAsync(request, "bmes-order-sign");

        await AssertOutcome(response, HttpStatusCode.BadRequest, "context.draftOrders", "is required");
    }

    [Test]
    public async Task Order_sign_without_user_is_accepted_because_the_rules_do_not_need_it()
    {
        var request = Requests.OrderSign();
        request["context"]!.AsObject().Remove("userId");

        var response = await PostAsync(request, "bmes-order-sign");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Patient_view_without_patient_is_400()
    {
        var request = Requests.PatientView();
        request["context"]!.AsObject().Remove("patientId");

        var response = await PostAsync(request, "bmes-patient-view");

        await AssertOutcome(response, HttpStatusCode.BadRequest, "context.patientId", "is required");
    }

    [Test]
    public async Task Draft_orders_that_are_not_a_bundle_are_400()
    {
        var request = Requests.OrderSelect();
        request["context"]!["draftOrders"] = JsonNode.Parse("""{"resourceType":"ServiceRequest","status":"draft"}""");

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "context.draftOrders", "must be a FHIR Bundle");
    }

    [TestCase("ImagingOrder")]
    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public async Task A_draft_order_with_an_unknown_resource_type_is_400_naming_the_entry(string type)
    {
        var request = Requests.OrderSelect();
        request["context"]!["draftOrders"]!["entry"]![0]!["resource"]!["resourceType"] = type;

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "context.draftOrders.entry[0].resource", $"'{type}' is not a FHIR R4 resource type");
    }

    [Test]
    public async Task A_selection_that_is_not_a_reference_is_400()
    {
        var request = Requests.OrderSelect();
        request["context"]!["selections"] = new JsonArray("sr-1");

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "context.selections[0]", "relative reference");
    }

    [Test]
    public async Task A_prefetch_value_that_is_not_a_resource_is_400_naming_the_key()
    {
        var request = Requests.OrderSelect();
        request["prefetch"]!["observations"] = "Observation?patient=p-1";

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "prefetch.observations", "must be a FHIR resource");
    }

    [Test]
    public async Task A_prefetch_bundle_entry_without_resource_type_is_400_naming_the_entry()
    {
        var request = Requests.OrderSelect();
        request["prefetch"]!["observations"] = JsonNode.Parse("""{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"id":"o1"}}]}""");

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "prefetch.observations.entry[0].resource", "has no resourceType");
    }

    [Test]
    public async Task A_prefetch_resource_the_lenient_reader_refuses_is_400_naming_the_key()
    {
        var request = Requests.OrderSelect();
        request["prefetch"]!["patient"] = JsonNode.Parse("""{"resourceType":"Patient","id":"p-1","multipleBirthBoolean":true,"multipleBirthInteger":2}""");

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "prefetch.patient", "an element appears twice");
    }

    [TestCase("Resource")]
    [TestCase("DomainResource")]
    public async Task A_prefetch_resource_of_an_abstract_type_or_containing_one_is_400_naming_it(string type)
    {
        var request = Requests.OrderSelect();
        request["prefetch"]!["patient"] = JsonNode.Parse($$"""{"resourceType":"{{type}}","id":"p-1"}""");
        var abstractResource = await PostAsync(request);

        request = Requests.OrderSelect();
        request["prefetch"]!["patient"] = JsonNode.Parse($$"""{"resourceType":"Patient","id":"p-1","contained":[{"resourceType":"{{type}}","id":"c"}]}""");
        var containingOne = await PostAsync(request);

        await AssertOutcome(abstractResource, HttpStatusCode.BadRequest, "prefetch.patient", $"'{type}' is not a FHIR R4 resource type");
        await AssertOutcome(containingOne, HttpStatusCode.BadRequest, "prefetch.patient", "the Patient cannot be read even leniently");
    }

    [Test]
    public async Task Fhir_authorization_without_fhir_server_is_400()
    {
        var request = Requests.OrderSelect();
        request.Remove("fhirServer");
        request["fhirAuthorization"] = JsonNode.Parse("""{"access_token":"abc","token_type":"Bearer","expires_in":300,"scope":"user/*.read","subject":"bmes"}""");

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "fhirServer", "is required when fhirAuthorization is given");
    }

    [Test]
    public async Task A_fhir_server_that_is_not_a_url_is_400()
    {
        var request = Requests.OrderSelect();
        request["fhirServer"] = "fhir.example.org";

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "fhirServer", "absolute http(s) URL");
    }

    [Test]
    public async Task A_hook_instance_with_line_breaks_is_400_so_it_cannot_forge_log_lines()
    {
        var request = Requests.OrderSelect();
        request["hookInstance"] = "abc\nFAKE LOG LINE";

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.BadRequest, "hookInstance", "must be a UUID");
    }

    [Test]
    public async Task An_unknown_service_is_404_listing_the_known_ones()
    {
        var response = await PostAsync(Requests.OrderSelect(), "no-such-service");

        await AssertOutcome(response, HttpStatusCode.NotFound, string.Empty, "bmes-order-select, bmes-order-sign, bmes-patient-view");
    }

    [Test]
    public async Task Feedback_for_an_unknown_service_is_404()
    {
        var response = await _client.PostAsync("/cds-services/no-such-service/feedback", Json.Body("{}"));

        await AssertOutcome(response, HttpStatusCode.NotFound, string.Empty, "There is no CDS service");
    }

    [Test]
    public async Task An_unknown_path_is_404_with_an_outcome()
    {
        var response = await _client.GetAsync("/nothing-here");

        await AssertOutcome(response, HttpStatusCode.NotFound, string.Empty, "GET /cds-services");
    }

    [TestCase("PUT", "/cds-services/bmes-order-select")]
    [TestCase("GET", "/cds-services/bmes-order-select")]
    [TestCase("DELETE", "/cds-services")]
    [TestCase("GET", "/cds-services/bmes-order-select/feedback")]
    public async Task A_wrong_method_is_405_with_an_outcome(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AssertOutcome(response, HttpStatusCode.MethodNotAllowed, string.Empty, "is not allowed");
    }

    [Test]
    public async Task A_body_over_the_configured_limit_is_413()
    {
        var request = Requests.OrderSelect();
        request["extension"] = new JsonObject { ["padding"] = new string('x', 30000) };

        var response = await PostAsync(request);

        await AssertOutcome(response, HttpStatusCode.RequestEntityTooLarge, string.Empty, "limit of 20000 bytes");
    }

    [Test]
    public async Task A_body_over_the_limit_without_content_length_is_413()
    {
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 30000) + "{}")));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var message = new HttpRequestMessage(HttpMethod.Post, "/cds-services/bmes-order-select") { Content = body };
        message.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(message);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_non_json_media_type_is_415()
    {
        var response = await _client.PostAsync(
            "/cds-services/bmes-order-select", new StringContent(Requests.OrderSelect().ToJsonString(), Encoding.UTF8, "text/plain"));

        await AssertOutcome(response, HttpStatusCode.UnsupportedMediaType, string.Empty, "Content-Type must be application/json");
    }

    [Test]
    public async Task Unknown_fields_and_extensions_are_tolerated()
    {
        var request = Requests.OrderSelect();
        request["extension"] = JsonNode.Parse("""{"com.example.flag": true}""");
        request["somethingNew"] = 42;
        request["context"]!["futureField"] = "x";

        var response = await PostAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_patient_id_given_as_a_reference_is_accepted()
    {
        var request = Requests.PatientView();
        request["context"]!["patientId"] = "Patient/p-1";

        var response = await PostAsync(request, "bmes-patient-view");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
