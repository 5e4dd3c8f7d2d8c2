using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Evaluation.ServiceDefaults;

/// <summary>How every host reads its settings: bound from section <c>Evaluation</c>, checked before anything starts.</summary>
public static class HostSettings
{
    public const string Section = "Evaluation";

    /// <summary>The settings of <paramref name="section"/>, with the class's defaults for whatever it leaves out.</summary>
    public static T Bind<T>(IConfiguration configuration, string section = Section)
        where T : class, new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    /// <summary>
    /// Reads the settings, and refuses to go on while <paramref name="validate"/> finds a problem: an
    /// <see cref="OptionsValidationException"/> whose failures each say <c>Configuration error: …</c>, naming the
    /// key and the rule. The settings are then a singleton for the host's services.
    /// </summary>
    public static T AddValidatedSettings<T>(this IHostApplicationBuilder builder, Func<IConfiguration, T> read, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        var settings = read(builder.Configuration);
        var problems = validate(settings).Select(p => $"Configuration error: {p}").ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(typeof(T).Name, typeof(T), problems);
        }

        builder.Services.AddSingleton(settings);
        return settings;
    }
}
