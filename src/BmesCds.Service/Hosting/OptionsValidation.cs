using Microsoft.Extensions.Options;

namespace BmesCds.Service.Hosting;

/// <summary>
/// The one options idiom: bind a section, check it with the options class's own <c>Problem()</c> (a sentence naming
/// the setting and its range, or null), and fail at start with that sentence. <see cref="BindChecked{T}"/> is for
/// options read through <c>IOptions&lt;T&gt;</c> (checked by <c>ValidateOnStart</c> when the host starts);
/// <see cref="BindNow{T}"/> for the few sections registration itself must read before the host is built (which scheme,
/// which port, which store, which origins), checked on the spot.
/// </summary>
public static class OptionsValidation
{
    public static OptionsBuilder<T> BindChecked<T>(this IServiceCollection services, string section, Func<T, string?> problem)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ProblemCheck<T>(problem));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Binds <paramref name="section"/> now; a problem stops the start as a <see cref="StartupConfigurationException"/>.</summary>
    public static T BindNow<T>(this IConfiguration configuration, string section, Func<T, string?> problem)
        where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return problem(options) is { } why ? throw new StartupConfigurationException(why) : options;
    }

    private sealed class ProblemCheck<T>(Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } why ? ValidateOptionsResult.Fail(why) : ValidateOptionsResult.Success;
    }
}
