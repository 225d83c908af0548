namespace BmesCds.Service.IntegrationConsole;

/// <summary>Configuration section <c>Console</c>: the integration console at /console (README "Console").</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Serve the integration console at /console (README "Console"). Unset means on in the Development environment, off elsewhere.</summary>
    public bool? Enabled { get; set; }
}

/// <summary>
/// Whether the console is served, and whether its data endpoints need a management key. They need one whenever CDS
/// clients need a token: the console is open only where /cds-services is open to anyone too, in Development with
/// Auth:Mode Disabled (the default there). A CDS client's token is never a management key, so it never opens the console.
/// </summary>
public sealed record ConsoleAccess(bool Enabled, bool KeyRequired);
