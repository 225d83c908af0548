using BmesCds.Service.Auth;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Health;
using BmesCds.Service.Hosting;
using BmesCds.Service.IntegrationConsole;
using BmesCds.Service.Ledger;
using BmesCds.Service.Limits;
using BmesCds.Service.Management;
using BmesCds.Service.Memory;
using BmesCds.Service.Telemetry;

try
{
    var builder = WebApplication.CreateBuilder(args);
    var renamedSettings = RenamedSettings.Apply(builder.Configuration);
    builder.AddBmesTelemetry();
    builder.AddManagement();

    // Body size is enforced by RequestBodyReader (Requests:MaxBodyBytes) so that the limit is one setting with one answer.
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
    builder.Services.AddCdsCors(builder.Configuration, builder.Environment);
    builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
    builder.Services.AddClientRateLimiting();
    builder.Services.AddBmesCds(builder.Configuration);
    builder.Services.AddRequestTimeLimit(builder.Configuration);
    builder.Services.AddCardLedger(builder.Configuration, builder.Environment);
    builder.Services.AddIntegrationConsole(builder.Configuration, builder.Environment);
    builder.Services.AddOpenApi();
    builder.Services.AddIdleMemoryTrim();

    var app = builder.Build();
    ServiceRegistration.LoadEagerly(app.Services);
    foreach (var warning in renamedSettings)
    {
        app.Logger.LogWarning("{RenamedSetting}", warning);
    }

    if (!string.IsNullOrWhiteSpace(app.Configuration["Clock:FixedUtcNow"]))
    {
        app.Logger.LogWarning("The clock is fixed at {Now} (Clock:FixedUtcNow): for replaying samples only", app.Configuration["Clock:FixedUtcNow"]);
    }

    app.UseTraceResponseHeaders();
    app.UseErrorAnswers();
    // Inside the error answers, outside everything that waits (authentication's JWKS fetch, the hook call).
    app.UseRequestTimeLimit();

    // Management paths answer only on their own addresses (Management:Urls) and only with a management key.
    app.UseManagement();
    // CORS first: preflights are answered before authentication, and 401s carry the CORS headers.
    app.UseCors(CorsSetup.PolicyName);
    app.UseAuthentication();
    app.UseCdsClientAuthentication();
    app.UseAuthorization();
    // After authentication: the limit is per authenticated client.
    app.UseRateLimiter();
    app.MapOpenApi();
    app.MapBmesHealthChecks();
    app.MapManagementEndpoints();
    app.MapCdsServicesApi();
    app.MapAdminApi();
    app.MapIntegrationConsole();
    app.Run();
    return 0;
}
catch (Exception failure) when (StartupFailure.IsOwnProcess && StartupFailure.Explain(failure) is { } line)
{
    // A setting to fix, not a bug: one line naming it, no stack trace, and a non-zero exit for the supervisor.
    Console.Error.WriteLine(line);
    return StartupFailure.ExitCode;
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
