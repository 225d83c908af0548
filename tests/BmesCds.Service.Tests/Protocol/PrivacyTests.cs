using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

/// <summary>Logs carry hook instance and service ids, never tokens or patient data.</summary>
public sealed class PrivacyTests
{
    [Test]
    public async Task Neither_the_fhir_access_token_nor_patient_data_reach_the_log()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateCheckedClient();
        var request = Requests.OrderSelect();
        request["fhirAuthorization"] = JsonNode.Parse("""{"access_token":"tok-SECRET-123","token_type":"Bearer","expires_in":300,"scope":"user/*.read","subject":"bmes"}""");
        request["context"]!["patientId"] = "patient-UNIQUE-42";
        request["prefetch"]!["patient"] = JsonNode.Parse("""{"resourceType":"Patient","id":"patient-UNIQUE-42","name":[{"family":"Doe-UNIQUE"}],"birthDate":"1982-03-01"}""");

        await client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));
        request["hook"] = "patient-view";
        await client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));

        var log = factory.Logs.All;
        Assert.That(log, Does.Contain("6d2f1d5e-0f8b-4f38-9d43-2b0f4b1f2a10"), "the hook instance is logged");
        Assert.That(log, Does.Not.Contain("tok-SECRET-123"));
        Assert.That(log, Does.Not.Contain("UNIQUE"));
    }
}
