using Evaluation.Contracts.Ingestion;
using Evaluation.Contracts.Registry;

namespace Evaluation.UnitTests.Measures;

/// <summary>Short constructors for logged events, so each test reads as the story it checks.</summary>
internal static class Events
{
    public static LoggedEvent Rating(
        DateOnly day, int level, Channel channel = Channel.Window, IpDomain domain = IpDomain.Patent) =>
        new(0, LoggedEventKind.Evaluation, day, channel, domain, (byte)level, false, 0, false);

    public static LoggedEvent Opened(DateOnly day, Channel channel = Channel.Window) =>
        new(0, LoggedEventKind.ServiceOpened, day, channel, IpDomain.Patent, 0, false, 0, false);

    public static LoggedEvent Completed(
        DateOnly day, double hours, bool onTime = true, bool hadOpen = true, Channel channel = Channel.Window) =>
        new(0, LoggedEventKind.ServiceCompleted, day, channel, IpDomain.Patent, 0, onTime, hours, hadOpen);
}
