namespace BmesCds.Service.Hosting;

/// <summary>
/// A setting that stops the start: missing, out of range or unusable. The message names the setting
/// (e.g. <c>Auth:PublicBaseUrl</c>) and says what it must be; <see cref="StartupFailure"/> prints it as one line.
/// </summary>
public sealed class StartupConfigurationException(string message) : InvalidOperationException(message);
