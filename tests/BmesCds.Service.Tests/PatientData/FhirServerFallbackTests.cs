using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.PatientData;

/// <summary>
/// The prefetch contract against a real FHIR server: whatever the EHR prefetched (everything, part, nothing, nulls,
/// OperationOutcomes, Bundle pages), the assembler receives the same resources as from a full prefetch, or the
/// call gets a 412 naming the key and the reason.
/// </summary>
public sealed class FhirServerFallbackTests
{
    private FhirTestServer _server = null!;
    private FallbackHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FhirTestServer.StartAsync();
        _host = new FallbackHost();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _host.Dispose();
        _server.Dispose();
    }

    [SetUp]
    public async Task LoadThePatient()
    {
        await _server.ResetAsync();
        await _server.LoadAsync([.. TestPatient.ResourcesOf(TestPatient.Prefetch()), .. TestPatient.Distractors()]);
        _host.Logs.Clear();
        _host.FhirRequests.Clear();
        _host.Records.Take();
    }

    private static IReadOnlyList<string> Everything => TestPatient.KeysOf(TestPatient.Prefetch());

    private static async Task<(string Diagnostics, string? Expression)> Assert412(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), body);
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/fhir+json"));
        return await Json.ReadOutcomeAsync(response);
    }

    private static async Task Assert200(HttpResponseMessage response) =>
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());

    [Test]
    public async Task Full_prefetch_needs_no_fhir_server()
    {
        var response = await _host.PostAsync(TestPatient.PatientView(fhirServer: null, TestPatient.Prefetch()));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task No_prefetch_fetches_every_key_from_the_fhir_server()
    {
        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything), "the same resources as the full prefetch, and no distractor");
        Assert.That(_host.FetchedKeys(), Is.EqualTo(new[]
        {
            "conditions", "diagnosticReports", "imagingObservations", "imagingStudies", "medicationRequests", "observations", "patient", "serviceRequests",
        }));
    }

    [Test]
    public async Task Partial_prefetch_fetches_only_the_missing_keys()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        prefetch.Remove("observations");

        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything));
        Assert.That(_host.FetchedKeys(), Is.EqualTo(new[] { "conditions", "observations" }));
        Assert.That(_host.FhirRequests.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Null_prefetch_key_is_not_fetched()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = null;

        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything.Where(key => !key.StartsWith("Condition/", StringComparison.Ordinal))));
        Assert.That(_host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task A_null_patient_gives_412_because_the_patient_is_required()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["patient"] = null;

        var (diagnostics, expression) = await Assert412(await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.patient"));
        Assert.That(diagnostics, Does.Contain("the patient is required").And.Contain("null"));
    }

    [Test]
    public async Task A_patient_the_fhir_server_does_not_know_gives_412()
    {
        var (diagnostics, expression) = await Assert412(await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null, id: "nobody")));

        Assert.That(expression, Is.EqualTo("prefetch.patient"));
        Assert.That(diagnostics, Does.Contain("the FHIR server has no Patient/{{context.patientId}} (404 Not Found)"));
    }

    [Test]
    public async Task OperationOutcome_key_is_fetched_by_default()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = ClientFailure();

        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything));
        Assert.That(_host.FetchedKeys(), Is.EqualTo(new[] { "conditions" }));
    }

    [Test]
    public async Task OperationOutcome_key_fails_with_412_when_policy_says_so()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:OperationOutcomePolicy"] = "Fail" });
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = ClientFailure();

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("OperationOutcome"));
        Assert.That(host.FhirRequests.Requests, Is.Empty);
    }

    [Test]
    public async Task Paginated_bundles_are_followed()
    {
        // The prefetched page says there is more; the server's own pages then link on (page 2 -> page 3).
        await _server.LoadAsync([ThirdCondition()]);
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = FirstConditionPage(_server.Base);

        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything.Append("Condition/third-condition").Order(StringComparer.Ordinal)));
        Assert.That(_host.FhirRequests.Requests.Select(r => r.Url.Query), Is.EqualTo(new[]
        {
            $"?patient={TestPatient.Id}&_count=1&_offset=1",
            $"?patient={TestPatient.Id}&_count=1&_offset=2",
        }));
    }

    [Test]
    public async Task Search_results_over_several_pages_are_all_fetched()
    {
        // 130 lab results: the observations template asks for _count=100, so the server answers in two pages.
        // The in-memory test server needs seconds for such a search on a loaded machine: a generous budget here.
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:TimeBudgetSeconds"] = "30" });
        await _server.LoadAsync(Enumerable.Range(1, 130).Select(day =>
            TestPatient.Lab(TestPatient.Id, "crp", "1988-5", new DateOnly(2026, 1, 1).AddDays(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));

        var response = await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null));

        await Assert200(response);
        Assert.That(host.Records.Take()!.Count(key => key.StartsWith("Observation/", StringComparison.Ordinal)), Is.EqualTo(2 + 1 + 130));
        Assert.That(host.FhirRequests.Requests.Count(r => r.Url.AbsolutePath.EndsWith("/Observation", StringComparison.Ordinal)), Is.EqualTo(3), "two pages of labs, one of imaging");
    }

    [Test]
    public async Task More_pages_than_allowed_gives_412()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:MaxPages"] = "2" });
        await _server.LoadAsync([ThirdCondition()]);
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = FirstConditionPage(_server.Base);

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("more than 2 pages (Fhir:MaxPages)"));
    }

    [Test]
    public async Task More_resources_than_allowed_gives_412()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:MaxResources"] = "1" });
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("has more than 1 resources (Fhir:MaxResources)"));
    }

    [Test]
    public async Task Next_links_to_another_host_are_not_followed()
    {
        var elsewhere = FhirTestServer.Unreachable();
        var prefetch = TestPatient.Prefetch();
        prefetch["conditions"] = FirstConditionPage(elsewhere);

        var (diagnostics, expression) = await Assert412(await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch, token: "secret-token-1")));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Does.Contain("points outside fhirServer and is not followed"));
        Assert.That(_host.FhirRequests.Requests, Is.Empty, "nothing, and so no token, was sent elsewhere");
    }

    [Test]
    public async Task Missing_keys_without_a_fhir_server_give_412_naming_them()
    {
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");
        prefetch.Remove("imagingStudies");

        var (diagnostics, expression) = await Assert412(await _host.PostAsync(TestPatient.PatientView(fhirServer: null, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch"));
        Assert.That(diagnostics, Does.Contain("2 prefetch keys could not be had")
            .And.Contain("'conditions': the client did not prefetch it, and the request has no fhirServer to fetch it from")
            .And.Contain("'imagingStudies'"));
    }

    [Test]
    public async Task Optional_keys_degrade_to_no_data_when_policy_says_so()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:OptionalKeysOnFailure"] = "Degrade" });
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("conditions");

        var response = await host.PostAsync(TestPatient.PatientView(fhirServer: null, prefetch));

        await Assert200(response);
        Assert.That(host.Records.Take(), Is.EqualTo(Everything.Where(key => !key.StartsWith("Condition/", StringComparison.Ordinal))));
        Assert.That(host.Logs.Lines, Has.Some.Contains("prefetch key conditions could not be had; going on without it"));
    }

    [Test]
    public async Task The_patient_is_required_even_when_optional_keys_degrade()
    {
        using var host = new FallbackHost(new Dictionary<string, string?> { ["Fhir:OptionalKeysOnFailure"] = "Degrade" });
        var prefetch = TestPatient.Prefetch();
        prefetch.Remove("patient");

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(fhirServer: null, prefetch)));

        Assert.That(expression, Is.EqualTo("prefetch.patient"));
        Assert.That(diagnostics, Does.Contain("no fhirServer"));
    }

    [Test]
    public async Task A_malformed_answer_gives_412()
    {
        using var host = new FallbackHost(answer: request => request.RequestUri!.AbsolutePath.EndsWith("/Condition", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy login</html>", Encoding.UTF8, "text/html") }
            : null);

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null)));

        Assert.That(expression, Is.EqualTo("prefetch.conditions"));
        Assert.That(diagnostics, Is.EqualTo("prefetch.conditions: the FHIR server's answer to Condition?patient={{context.patientId}}&_count=200 is not JSON"));
    }

    [Test]
    public async Task A_search_answered_with_something_other_than_a_bundle_gives_412()
    {
        using var host = new FallbackHost(answer: request => request.RequestUri!.AbsolutePath.EndsWith("/ImagingStudy", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"resourceType":"Patient","id":"x"}""", Encoding.UTF8, "application/fhir+json") }
            : null);

        var (diagnostics, _) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null)));

        Assert.That(diagnostics, Does.Contain("with a Patient instead of a Bundle"));
    }

    [Test]
    public async Task A_fetched_resource_that_cannot_be_read_gives_412_naming_where_it_was()
    {
        using var host = new FallbackHost(answer: request => request.RequestUri!.AbsolutePath.EndsWith("/DiagnosticReport", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Nonsense"}}]}""", Encoding.UTF8, "application/fhir+json"),
            }
            : null);

        var (diagnostics, expression) = await Assert412(await host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null)));

        Assert.That(expression, Is.EqualTo("fhirServer.diagnosticReports.page[1].entry[0].resource"));
        Assert.That(diagnostics, Does.Contain("the FHIR server sent a resource that cannot be read: 'Nonsense' is not a FHIR R4 resource type"));
    }

    [Test]
    public async Task A_resource_returned_by_two_keys_reaches_the_assembler_once()
    {
        var prefetch = TestPatient.Prefetch();
        var imaging = prefetch["imagingObservations"]!["entry"]![0]!.DeepClone();
        prefetch["observations"]!["entry"]!.AsArray().Add(imaging);

        var response = await _host.PostAsync(TestPatient.PatientView(fhirServer: null, prefetch));

        await Assert200(response);
        Assert.That(_host.Records.Take(), Is.EqualTo(Everything));
    }

    [TestCase("Fhir:TimeBudgetSeconds", "0")]
    [TestCase("Fhir:MaxPages", "0")]
    [TestCase("Fhir:MaxResources", "-1")]
    public void Fhir_settings_out_of_range_stop_the_service(string key, string value)
    {
        using var factory = new BmesCdsFactory(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => factory.CreateClient());

        Assert.That(failure!.ToString(), Does.Contain($"{key} must be"));
    }

    [Test]
    public async Task No_authorization_header_when_the_ehr_sent_no_token()
    {
        var response = await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null));

        await Assert200(response);
        Assert.That(_host.FhirRequests.Requests, Has.Count.EqualTo(8));
        Assert.That(_host.FhirRequests.Requests.Select(r => r.Authorization), Is.All.Null);
    }

    [Test]
    public async Task Http_fhir_server_is_refused_in_production_unless_allowed()
    {
        using var strict = new FallbackHost(environment: "Production");
        using var allowed = new FallbackHost(new Dictionary<string, string?> { ["Fhir:AllowHttp"] = "true" }, environment: "Production");
        var request = TestPatient.PatientView(_server.Base, prefetch: null);

        var (diagnostics, _) = await Assert412(await strict.PostAsync(request));
        var answer = await allowed.PostAsync(request);

        Assert.That(diagnostics, Does.Contain("fhirServer is plain http, which this deployment does not use"));
        Assert.That(strict.FhirRequests.Requests, Is.Empty);
        await Assert200(answer);
        Assert.That(allowed.Records.Take(), Is.EqualTo(Everything));
    }

    [Test]
    public async Task Http_fhir_server_is_fine_in_production_when_nothing_needs_fetching()
    {
        using var strict = new FallbackHost(environment: "Production");

        var response = await strict.PostAsync(TestPatient.PatientView(_server.Base, TestPatient.Prefetch()));

        await Assert200(response);
    }

    [Test]
    [Explicit("Measurement: run on demand, the figure is printed")]
    public async Task Measure_a_full_fetch_of_the_eight_keys()
    {
        var fetch = new List<double>();
        var prefetched = new List<double>();
        for (var run = 0; run < 22; run++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Assert200(await _host.PostAsync(TestPatient.PatientView(_server.Base, prefetch: null)));
            var fetchMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Assert200(await _host.PostAsync(TestPatient.PatientView(_server.Base, TestPatient.Prefetch())));
            var prefetchMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (run >= 2)
            {
                // The first two runs warm up the JIT and the connection pool.
                fetch.Add(fetchMs);
                prefetched.Add(prefetchMs);
            }
        }

        TestContext.Out.WriteLine($"No prefetch (8 keys fetched), hook call end to end: median {Median(fetch):F1} ms, min {fetch.Min():F1}, max {fetch.Max():F1} (n={fetch.Count})");
        TestContext.Out.WriteLine($"Full prefetch, hook call end to end: median {Median(prefetched):F1} ms, min {prefetched.Min():F1}, max {prefetched.Max():F1} (n={prefetched.Count})");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static JsonObject ThirdCondition() => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = "third-condition",
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{TestPatient.Id}" },
    };

    /// <summary>What an EHR sends when its own fetch of a key failed.</summary>
    private static JsonObject ClientFailure() => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = "timeout", ["diagnostics"] = "upstream timed out" }),
    };

    /// <summary>The patient's first condition as page 1 of 2, the next page to be read from <paramref name="server"/>.</summary>
    private static JsonObject FirstConditionPage(string server)
    {
        var full = TestPatient.Prefetch()["conditions"]!.AsObject();
        var first = full["entry"]![0]!.DeepClone();
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = 2,
            ["link"] = new JsonArray(new JsonObject
            {
                ["relation"] = "next",
                ["url"] = $"{server}/Condition?patient={TestPatient.Id}&_count=1&_offset=1",
            }),
            ["entry"] = new JsonArray(first),
        };
    }
}
