using System.Net;
using BmesCds.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BmesCds.Service.Tests.IntegrationConsole.Browser;

/// <summary>
/// One headless Chromium for every browser test of the console: Debian's chromium, launched by its path through
/// Playwright's .NET API (the Node driver comes with the NuGet package; Playwright's own browser download is never
/// used, and fails here anyway). scripts/test.sh installs chromium when it is missing; without it these tests fail,
/// they are never skipped.
/// </summary>
[SetUpFixture]
public sealed class ConsoleBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is started by the namespace's set-up fixture");

    [OneTimeSetUp]
    public async Task Launch()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True,
            $"The console's browser tests need Debian's chromium at {ChromiumPath}: run scripts/test.sh (it installs it), or apt-get install -y chromium.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // A closed network: no GPU, no QUIC, no background or component traffic (refused connections otherwise).
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    [OneTimeTearDown]
    public async Task Close()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page in its own context (no shared storage between tests), with the browser's errors collected.</summary>
    public static async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync()
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return (context, page, errors);
    }
}

/// <summary>The real host on Kestrel on a free loopback port (a browser needs a socket), ready before it is used.</summary>
public sealed class KestrelHost : IDisposable
{
    private readonly BmesCdsFactory _factory;

    private KestrelHost(BmesCdsFactory factory, Uri baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public LogSink Logs => _factory.Logs;

    public static async Task<KestrelHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development")
    {
        var factory = new BmesCdsFactory(settings, environment: environment);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var host = new KestrelHost(factory, new Uri(address));

        // The console runs the hook pipeline, whose incoming validation warms up after start.
        using var http = new HttpClient { BaseAddress = host.BaseUrl };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await http.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the host did not become ready");
            await Task.Delay(100);
        }

        return host;
    }

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    public void Dispose() => _factory.Dispose();
}
