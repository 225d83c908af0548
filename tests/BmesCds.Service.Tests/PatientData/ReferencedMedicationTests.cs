using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// BMES-RULES.md 7a, C6, against the real FHIR test server (which, like some EHRs, ignores `_include`): a Medication
/// that a medicationReference names and the prefetch does not carry is read from fhirServer as Medication/{id};
/// one that is there, contained, or outside fhirServer is not read; a 404 is no data (the card says the drug could not
/// be identified); any other failure follows the key policy.
/// </summary>
public sealed class ReferencedMedicationTests
{
    private const string Sample = "cases/V2-C6-medication-reference-to-included-prednisone-gets-osteonecrosis-risk.request.json";
    private const string MedicationId = "v2-c6b-pred";
    private const string Unidentified = "its drug could not be identified";

    private FhirTestServer _server = null!;
    private FhirTestServer _failing = null!;
    private FallbackHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var started = await Task.WhenAll(
            FhirTestServer.StartAsync(),
            FhirTestServer.StartAsync(new Dictionary<string, string> { ["FAIL_PATHS"] = "^/fhir/Medication/" }));
        (_server, _failing) = (started[0], started[1]);
        foreach (var server in started)
        {
            await server.LoadAsync(TestPatient.ResourcesOf(Prefetch(Load())).Select(resource => (JsonObject)resource.DeepClone()));
        }

        _host = new FallbackHost();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _host?.Dispose();
        _server?.Dispose();
        _failing?.Dispose();
    }

    [SetUp]
    public void Forget()
    {
        _host.FhirRequests.Clear();
        _host.Records.Take();
        _host.Logs.Clear();
    }

    [Test]
    public async Task Medication_missing_from_the_prefetch_is_read_from_the_fhir_server_and_gives_the_sample_card()
    {
        var response = await _host.PostAsync(WithoutIncludedMedication(_server.Base), "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(_host.FhirRequests.Requests.Select(request => request.Url.AbsolutePath), Is.EqualTo(new[] { $"/fhir/Medication/{MedicationId}" }));
        Assert.That(_host.Records.Take(), Does.Contain($"Medication/{MedicationId}"));
        var expected = Json.Load(SampleFiles.ResponsePath(Sample));
        Assert.That(
            Golden.Normalise((await Json.ReadAsync(response)).GetProperty("cards")),
            Is.EqualTo(Golden.Normalise(System.Text.Json.JsonDocument.Parse(expected["cards"]!.ToJsonString()).RootElement)));
        Assert.That(_host.FetchedKeys(), Is.EqualTo(new[] { "medicationRequests:medication" }));
        Assert.That(_host.Logs.All, Does.Not.Contain(MedicationId), "the log names the key, never the Medication's id");
    }

    [Test]
    public async Task Medication_in_the_prefetch_is_not_read_again()
    {
        var request = Load();
        request["fhirServer"] = _server.Base;

        var response = await _host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task Contained_medication_is_not_read()
    {
        var request = Json.Load(SampleFiles.FullPath("cases/V2-C6-contained-methylprednisolone-administration-gets-osteonecrosis-risk.request.json")).AsObject();
        request["fhirServer"] = _server.Base;

        var response = await _host.PostAsync(request, "bmes-patient-view");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task Medication_the_server_does_not_know_is_no_failure_and_the_card_says_the_drug_was_not_identified()
    {
        var request = WithoutIncludedMedication(_server.Base, reference: "Medication/not-on-the-server");

        var response = await _host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var card = (await Json.ReadAsync(response)).GetProperty("cards")[0];
        Assert.Multiple(() =>
        {
            Assert.That(_host.FhirRequests.Requests, Has.Count.EqualTo(1));
            Assert.That(card.GetProperty("source").GetProperty("topic").GetProperty("code").GetString(), Is.EqualTo("replace-with-mri"));
            Assert.That(card.GetProperty("detail").GetString(), Does.Contain(Unidentified));
        });
    }

    [Test]
    public async Task Failing_medication_read_gives_412_naming_the_key_that_referenced_it()
    {
        var response = await _host.PostAsync(WithoutIncludedMedication(_failing.Base), "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), await response.Content.ReadAsStringAsync());
        var (diagnostics, expression) = await Json.ReadOutcomeAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(expression, Is.EqualTo("prefetch.medicationRequests"));
            Assert.That(diagnostics, Does.Contain("could not be fetched from fhirServer").And.Contain("Medication/{{medicationReference}}").And.Not.Contain(MedicationId));
        });
    }

    [Test]
    public async Task Failing_medication_read_under_degrade_goes_on_and_the_card_says_the_drug_was_not_identified()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:OptionalKeysOnFailure"] = "Degrade" });

        var response = await host.PostAsync(WithoutIncludedMedication(_failing.Base), "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await Json.ReadAsync(response)).GetProperty("cards")[0].GetProperty("detail").GetString(), Does.Contain(Unidentified));
    }

    [Test]
    public async Task Reference_outside_the_fhir_server_is_never_followed()
    {
        var request = WithoutIncludedMedication(_server.Base, reference: $"https://elsewhere.example.org/fhir/Medication/{MedicationId}");

        var response = await _host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task Absolute_reference_under_the_fhir_server_is_read()
    {
        var request = WithoutIncludedMedication(_server.Base, reference: $"{_server.Base}/Medication/{MedicationId}");

        var response = await _host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.FhirRequests.Requests.Single().Url.AbsolutePath, Is.EqualTo($"/fhir/Medication/{MedicationId}"));
    }

    [Test]
    public async Task Reads_stop_at_max_medication_reads()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:MaxMedicationReads"] = "1" });
        var request = WithoutIncludedMedication(_server.Base);
        var orders = Prefetch(request)["medicationRequests"]!["entry"]!.AsArray();
        var second = orders[0]!.DeepClone().AsObject();
        second["resource"]!["id"] = "second-order";
        second["resource"]!["medicationReference"]!["reference"] = "Medication/second-drug";
        orders.Add(second);

        var response = await host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(host.FhirRequests.Requests.Single().Url.AbsolutePath, Is.EqualTo($"/fhir/Medication/{MedicationId}"), "the first reference met is read");
        var card = (await Json.ReadAsync(response)).GetProperty("cards")[0];
        Assert.That(card.GetProperty("detail").GetString(), Does.Contain("predniSONE").And.Contain(Unidentified), "the one over the cap stays unidentified");
    }

    [Test]
    public async Task Without_a_fhir_server_nothing_is_read_and_the_card_says_the_drug_was_not_identified()
    {
        var request = WithoutIncludedMedication(_server.Base);
        request.Remove("fhirServer");

        var response = await _host.PostAsync(request, "bmes-order-select");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
        Assert.That((await Json.ReadAsync(response)).GetProperty("cards")[0].GetProperty("detail").GetString(), Does.Contain(Unidentified));
    }

    private static JsonObject Load() => Json.Load(SampleFiles.FullPath(Sample)).AsObject();

    private static JsonObject Prefetch(JsonObject request) => request["prefetch"]!.AsObject();

    /// <summary>The sample as an EHR that ignores `_include` sends it: the MedicationRequest without its Medication.</summary>
    private static JsonObject WithoutIncludedMedication(string fhirServer, string? reference = null)
    {
        var request = Load();
        request["fhirServer"] = fhirServer;
        var entries = Prefetch(request)["medicationRequests"]!["entry"]!.AsArray();
        foreach (var included in entries.Where(entry => (string?)entry!["resource"]!["resourceType"] == "Medication").ToList())
        {
            entries.Remove(included);
        }

        if (reference is not null)
        {
            entries.Single()!["resource"]!["medicationReference"]!["reference"] = reference;
        }

        return request;
    }
}
