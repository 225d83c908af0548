using System.Net;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Tests.PatientData;

namespace BmesCds.Service.Tests.Protocol;

/// <summary>
/// Logs carry hook instance and service ids, never tokens or patient data (ids, names, birth dates), at any level:
/// the hosts here log everything down to Trace, through prefetch, fallback fetching and every kind of failure.
/// </summary>
public sealed class PrivacyTests
{
    private const string Token = "tok-SECRET-123";
    private const string PatientId = "patient-UNIQUE-42";
    private const string FamilyName = "Doe-UNIQUE";
    private const string BirthDate = "1911-11-11";

    private static readonly string[] Secrets = [Token, PatientId, FamilyName, BirthDate, HostileFhirServer.PatientFamilyName];

    private static JsonObject FhirAuthorization() =>
        JsonNode.Parse($$"""{"access_token":"{{Token}}","token_type":"Bearer","expires_in":300,"scope":"user/*.read","subject":"bmes"}""")!.AsObject();

    /// <summary>The log lines that show a secret, with the secret, for the failure message.</summary>
    private static List<string> Leaks(LogSink logs) =>
        logs.Lines
            .SelectMany(line => Secrets.Where(secret => line.Contains(secret, StringComparison.Ordinal)).Select(secret => $"[{secret}] {line}"))
            .ToList();

    private static void AssertLogsEverything(LogSink logs)
    {
        Assert.That(logs.Lines, Has.Some.StartsWith("Debug "), "the sink sees Debug lines");
        Assert.That(logs.Lines, Has.Some.StartsWith("Trace "), "the sink sees Trace lines");
    }

    [Test]
    public async Task Neither_the_fhir_access_token_nor_patient_data_reach_the_log()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateCheckedClient();
        var request = Requests.OrderSelect();
        request["fhirAuthorization"] = FhirAuthorization();
        request["context"]!["patientId"] = PatientId;
        request["prefetch"]!["patient"] = JsonNode.Parse($$"""{"resourceType":"Patient","id":"{{PatientId}}","name":[{"family":"{{FamilyName}}"}],"birthDate":"{{BirthDate}}"}""");

        await client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));
        request["hook"] = "patient-view";
        await client.PostAsync("/cds-services/bmes-order-select", Json.Body(request));

        AssertLogsEverything(factory.Logs);
        Assert.That(factory.Logs.All, Does.Contain("6d2f1d5e-0f8b-4f38-9d43-2b0f4b1f2a10"), "the hook instance is logged");
        Assert.That(Leaks(factory.Logs), Is.Empty);
    }

    [Test]
    public async Task Fetching_and_every_kind_of_fetch_failure_log_neither_token_nor_patient_data()
    {
        await using var fhir = await HostileFhirServer.StartAsync();
        fhir.RedirectTo = fhir.BaseFor("good");
        using var host = new FallbackHost(new Dictionary<string, string?>
        {
            ["Fhir:TimeBudgetSeconds"] = "1",
            ["Fhir:MaxBytesPerAnswer"] = "65536",
        });
        using var refusing = new FallbackHost(new Dictionary<string, string?> { ["Fhir:AllowedServers:0"] = "https://ehr.example.org/fhir" });
        var servers = new[] { "good", "status-401", "status-500", "invalid", "html", "redirect", "self-paging", "bad-next", "close", "slow-headers", "announced-huge" }
            .Select(fhir.BaseFor)
            .Append(fhir.EndlessBase)
            .Append(FhirTestServer.Unreachable())
            .ToList();

        foreach (var server in servers)
        {
            // Nothing prefetched: every key, the patient read included, goes to the server.
            var request = TestPatient.PatientView(server, prefetch: null, id: PatientId);
            request["fhirAuthorization"] = FhirAuthorization();
            var response = await host.PostAsync(request);
            Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.PreconditionFailed), server);
            await refusing.PostAsync(request);
        }

        AssertLogsEverything(host.Logs);
        foreach (var logged in new[] { "fetched prefetch key", "answered 401 Unauthorized", "ConnectionRefused", "sent more than the cap", "timed-out" })
        {
            Assert.That(host.Logs.All, Does.Contain(logged), "the failures were logged");
        }

        Assert.That(refusing.Logs.All, Does.Contain("refused: not on Fhir:AllowedServers"));
        Assert.That(Leaks(host.Logs), Is.Empty);
        Assert.That(Leaks(refusing.Logs), Is.Empty);
    }

    [Test]
    public async Task Tolerated_fhir_issues_are_logged_without_the_resource_id()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateCheckedClient();
        var request = Requests.PatientView();
        request["context"]!["patientId"] = PatientId;
        // An empty coding is tolerated (and logged at Debug with its location).
        request["prefetch"]!["patient"] = JsonNode.Parse($$$"""{"resourceType":"Patient","id":"{{{PatientId}}}","maritalStatus":{"coding":[{}]}}""");

        await client.PostAsync("/cds-services/bmes-patient-view", Json.Body(request));

        Assert.That(factory.Logs.Lines, Has.Some.Contains("tolerated FHIR issue"), "the tolerated issue is logged");
        Assert.That(Leaks(factory.Logs), Is.Empty);
    }
}
