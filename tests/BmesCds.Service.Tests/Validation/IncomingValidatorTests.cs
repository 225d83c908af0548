using System.Text.Json;
using BmesCds.CdsHooks.Fhir;
using BmesCds.Profiles;
using BmesCds.Service.Tests.Infrastructure;
using BmesCds.Service.Validation;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BmesCds.Service.Tests.Validation;

/// <summary>Runtime validation of draftOrders and prefetch, per Validation:Incoming (Off, Warn, Strict).</summary>
public sealed class IncomingValidatorTests
{
    private static ProfileValidator _validator = null!;

    [OneTimeSetUp]
    public void WarmTheValidatorOnce()
    {
        // The service's own warm-up, as the hosted service runs it at start: the suite pays it once.
        _validator = SharedProfileValidator.Instance;
    }

    [Test]
    public void Strict_mode_rejects_a_draft_ServiceRequest_with_an_invalid_status_code()
    {
        var (validator, _) = Create(IncomingValidationMode.Strict);

        var outcome = validator.Validate([DraftOrder(status: "bogus")], []);

        Assert.That(outcome, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(outcome!.Issue, Has.All.Matches<OperationOutcome.IssueComponent>(i => i.Severity == OperationOutcome.IssueSeverity.Error));
            Assert.That(outcome.Issue.SelectMany(i => i.Expression), Has.Some.Contains("ServiceRequest.status"));
            Assert.That(outcome.Issue.SelectMany(i => i.Location), Has.All.EqualTo("draftOrders[0]"));
        });
    }

    [Test]
    public void Strict_mode_validates_a_draftOrders_Bundle_entry_by_entry_as_the_sandbox_sends_it()
    {
        // No entry.fullUrl (bdl-15): how the CDS Hooks sandbox sends draftOrders; not the orders' fault.
        var (validator, _) = Create(IncomingValidationMode.Strict);
        static Bundle Orders(string status) => new() { Type = Bundle.BundleType.Collection, Entry = [new() { Resource = DraftOrder(status) }] };

        var valid = validator.Validate([Orders("draft")], []);
        var invalid = validator.Validate([Orders("bogus")], []);

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.Null);
            Assert.That(invalid?.Issue.SelectMany(i => i.Location), Has.All.EqualTo("draftOrders.entry[0]"));
            Assert.That(invalid?.Issue.SelectMany(i => i.Expression), Has.Some.Contains("ServiceRequest.status"));
        });
    }

    [Test]
    public void Strict_mode_accepts_valid_draft_orders_and_prefetch()
    {
        var (validator, _) = Create(IncomingValidationMode.Strict);

        var outcome = validator.Validate([DraftOrder(status: "draft")], [new("patient", Patient())]);

        Assert.That(outcome, Is.Null);
    }

    [Test]
    public void Strict_mode_names_the_prefetch_key_of_an_invalid_resource()
    {
        var (validator, _) = Create(IncomingValidationMode.Strict);
        var patient = Read("""{"resourceType":"Patient","id":"p1","gender":"unknown-gender-code"}""");

        var outcome = validator.Validate([], [new("patient", patient)]);

        Assert.That(outcome?.Issue.SelectMany(i => i.Location), Has.Some.EqualTo("prefetch.patient"));
    }

    [Test]
    public void Strict_mode_does_not_reject_a_resource_for_declaring_a_profile_we_do_not_have()
    {
        // EHRs stamp their own or US Core profiles; offline we hold them to base R4 only.
        var (validator, _) = Create(IncomingValidationMode.Strict);
        var patient = Read("""
            {"resourceType":"Patient","id":"p1","meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},"gender":"male"}
            """);

        var outcome = validator.Validate([], [new("patient", patient)]);

        Assert.That(outcome, Is.Null, outcome is null ? null : string.Join("; ", outcome.Issue.Select(i => i.Details?.Text)));
    }

    [Test]
    public void Warn_mode_logs_where_the_problem_is_never_the_value_and_goes_on()
    {
        var (validator, log) = Create(IncomingValidationMode.Warn);

        var outcome = validator.Validate([DraftOrder(status: "bogus")], []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.Null);
            Assert.That(log.Messages, Has.Some.Contains("ServiceRequest.status").And.Contains("draftOrders[0]"));
            Assert.That(log.Messages, Has.None.Contains("bogus"));
        });
    }

    [Test]
    public void Off_mode_validates_nothing()
    {
        var (validator, log) = Create(IncomingValidationMode.Off, ready: false);

        var outcome = validator.Validate([DraftOrder(status: "bogus")], []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.Null);
            Assert.That(log.Messages, Is.Empty);
        });
    }

    [Test]
    public void Before_warm_up_a_request_is_not_made_to_pay_for_it()
    {
        var (validator, log) = Create(IncomingValidationMode.Strict, ready: false);

        var outcome = validator.Validate([DraftOrder(status: "bogus")], []);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.Null);
            Assert.That(log.Messages, Has.Some.Contains("warming up"));
        });
    }

    [Test]
    public async System.Threading.Tasks.Task Warm_up_signals_readiness_and_the_health_check_follows()
    {
        var readiness = new ValidatorReadiness();
        var check = new ValidatorReadinessHealthCheck(readiness);
        var before = await check.CheckHealthAsync(new());
        using var warmUp = new ValidatorWarmUp(_validator, readiness,
            Options.Create(new FhirValidationOptions { Incoming = IncomingValidationMode.Strict }), new ListLogger<ValidatorWarmUp>());

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;
        var after = await check.CheckHealthAsync(new());

        Assert.Multiple(() =>
        {
            Assert.That(before.Status, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy));
            Assert.That(readiness.IsReady, Is.True);
            Assert.That(after.Status, Is.EqualTo(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
        });
    }

    private static (IncomingValidator Validator, ListLogger<IncomingValidator> Log) Create(IncomingValidationMode mode, bool ready = true)
    {
        var readiness = new ValidatorReadiness();
        if (ready)
        {
            readiness.MarkReady(TimeSpan.Zero);
        }

        var log = new ListLogger<IncomingValidator>();
        var options = new StaticOptionsMonitor(new FhirValidationOptions { Incoming = mode });
        return (new IncomingValidator(_validator, readiness, options, MetricsScrape.StandaloneMetrics(), log), log);
    }

    // As the service reads an EHR's JSON: leniently, so an unknown status code survives to be validated.
    private static Resource DraftOrder(string status) => Read($$"""
        {
          "resourceType": "ServiceRequest", "id": "order-1", "status": "{{status}}", "intent": "order",
          "code": {"coding": [{"system": "http://loinc.org", "code": "36487-7", "display": "CT Hip - left WO contrast"}]},
          "subject": {"reference": "Patient/p1"}
        }
        """);

    private static Patient Patient() => new() { Id = "p1", Gender = AdministrativeGender.Male, BirthDate = "1982-04-01" };

    private static Resource Read(string json) =>
        LenientFhirReader.Read(JsonDocument.Parse(json).RootElement).Resource ?? throw new InvalidOperationException("unreadable");

    private sealed class StaticOptionsMonitor(FhirValidationOptions value) : IOptionsMonitor<FhirValidationOptions>
    {
        public FhirValidationOptions CurrentValue => value;

        public FhirValidationOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<FhirValidationOptions, string?> listener) => null;
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
