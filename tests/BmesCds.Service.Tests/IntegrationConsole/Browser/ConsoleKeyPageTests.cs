using BmesCds.Service.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BmesCds.Service.Tests.IntegrationConsole.Browser;

/// <summary>
/// The console switched on outside Development (Production, Console:Enabled): the page opens without a key, asks for
/// one when the service refuses its first call, says so when the key is wrong, and works once it has a right one.
/// </summary>
[TestFixture]
public sealed class ConsoleKeyPageTests
{
    private KestrelHost _host = null!;

    [OneTimeSetUp]
    public async Task StartHost() =>
        _host = await KestrelHost.StartAsync(new Dictionary<string, string?> { ["Console:Enabled"] = "true" }, environment: "Production");

    [OneTimeTearDown]
    public void StopHost() => _host?.Dispose();

    [Test]
    public async Task The_page_asks_for_the_management_key_refuses_a_wrong_one_and_works_with_the_right_one()
    {
        var (context, page, _) = await ConsoleBrowser.OpenAsync();
        try
        {
            await page.GotoAsync(_host.Url("/console"));

            await Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
            await page.Locator("#key").FillAsync("not-the-management-key-0123456789");
            await page.Locator("#key-use").ClickAsync();
            await Expect(page.Locator("#key-message")).ToHaveTextAsync("That key was refused. Enter one of Management:ApiKeys.");
            await Expect(page.Locator("#key-panel")).ToBeVisibleAsync();

            await page.Locator("#key").FillAsync(BmesCdsFactory.ManagementKey);
            await page.Locator("#key-use").ClickAsync();
            await Expect(page.Locator("#key-panel")).ToBeHiddenAsync();
            await page.Locator("#sample[data-loaded]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.Locator("#sample").SelectOptionAsync("C1-ct-after-normal-left-hip-xray");
            await page.Locator("#send").ClickAsync();

            await Expect(page.Locator("#cards .card")).ToHaveAttributeAsync("data-topic", "replace-with-mri");
            await Expect(page.Locator("#explanation tr.rule[data-outcome='fired']")).ToHaveAttributeAsync("data-rule", "replace-with-mri");
            Assert.That(_host.Logs.All, Does.Not.Contain(BmesCdsFactory.ManagementKey).And.Not.Contain("not-the-management-key"));
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
