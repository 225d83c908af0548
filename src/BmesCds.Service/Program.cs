using BmesCds.Clinical.Terminology;
using BmesCds.Service.Auth;
using BmesCds.Service.CdsServices;
using BmesCds.Service.Health;
using BmesCds.Service.Hosting;
using BmesCds.Service.Ledger;
using BmesCds.Service.Management;

var builder = WebApplication.CreateBuilder(args);
if (!builder.Environment.IsDevelopment())
{
    builder.Logging.AddJsonConsole();
}

// Body size is enforced by JsonBodyReader (Requests:MaxBodyBytes) so that the limit is one setting with one answer.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
builder.Services.AddCdsCors(builder.Configuration, builder.Environment);
builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
builder.Services.AddBmesCds(builder.Configuration);
builder.Services.AddCardLedger(builder.Configuration, builder.Environment);
builder.Services.AddManagementAuthentication(builder.Configuration);
builder.Services.AddOpenApi();

var app = builder.Build();
try
{
    ServiceRegistration.LoadEagerly(app.Services);
}
catch (TerminologyException failure)
{
    app.Logger.LogCritical("BmesCds cannot start: {Reason}", failure.Message);
    throw;
}

if (!string.IsNullOrWhiteSpace(app.Configuration["Clock:FixedUtcNow"]))
{
    app.Logger.LogWarning("The clock is fixed at {Now} (Clock:FixedUtcNow): for replaying samples only", app.Configuration["Clock:FixedUtcNow"]);
}

app.UseErrorAnswers();
// CORS first: preflights are answered before authentication, and 401s carry the CORS headers.
app.UseCors(CorsSetup.PolicyName);
app.UseCdsClientAuthentication();
// Policies on endpoints: /admin needs a management key (Management:ApiKeys), never a CDS client token.
app.UseAuthorization();
app.MapOpenApi();
app.MapHealthApi();
app.MapCdsServicesApi();
app.MapAdminApi();
app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
