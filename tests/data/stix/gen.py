import json, uuid, os
import os
D=os.path.dirname(os.path.abspath(__file__))
def i(t): return t+'--'+str(uuid.uuid5(uuid.NAMESPACE_URL, 'cybercell-test/'+t))
TS='2023-01-02T03:04:05.000Z'; TS2='2023-02-02T03:04:05.000Z'
def sdo(t, **kw):
    o={'type':t,'spec_version':'2.1','id':i(t),'created':TS,'modified':TS}
    o.update(kw); return o
def sco(t, **kw):
    o={'type':t,'spec_version':'2.1','id':i(t)}; o.update(kw); return o
ident=i('identity')
valid = {
 'attack-pattern': sdo('attack-pattern', name='Spearphishing', kill_chain_phases=[{'kill_chain_name':'mitre-attack','phase_name':'initial-access'}], external_references=[{'source_name':'capec','external_id':'CAPEC-163'}]),
 'campaign': sdo('campaign', name='Operation X', first_seen=TS, last_seen=TS2, created_by_ref=ident),
 'course-of-action': sdo('course-of-action', name='Block port 445'),
 'grouping': sdo('grouping', context='suspicious-activity', object_refs=[i('indicator'), i('ipv4-addr')]),
 'identity': sdo('identity', name='ACME Bank', identity_class='organization', sectors=['financial-services']),
 'incident': sdo('incident', name='Incident 42'),
 'indicator': sdo('indicator', name='C2', indicator_types=['malicious-activity'], pattern="[ipv4-addr:value = '198.51.100.1']", pattern_type='stix', valid_from=TS, valid_until=TS2),
 'infrastructure': sdo('infrastructure', name='C2 server', infrastructure_types=['command-and-control']),
 'intrusion-set': sdo('intrusion-set', name='APT0', aliases=['Zero'], first_seen=TS),
 'location': sdo('location', name='Paris', latitude=48.8566, longitude=2.3522, precision=1000.0, country='fr'),
 'malware': sdo('malware', name='Bad', is_family=True, malware_types=['backdoor'], sample_refs=[i('file')], operating_system_refs=[i('software')]),
 'malware-analysis': sdo('malware-analysis', product='sandbox', result='malicious', sample_ref=i('file'), analysis_started=TS, analysis_ended=TS2),
 'note': sdo('note', content='Looks bad', authors=['ana'], object_refs=[i('malware')]),
 'observed-data': sdo('observed-data', first_observed=TS, last_observed=TS2, number_observed=3, object_refs=[i('ipv4-addr'), i('domain-name')]),
 'opinion': sdo('opinion', opinion='strongly-agree', object_refs=[i('report')]),
 'report': sdo('report', name='R', published=TS, report_types=['threat-report'], object_refs=[i('malware'), i('relationship')]),
 'threat-actor': sdo('threat-actor', name='Evil', threat_actor_types=['nation-state'], roles=['agent']),
 'tool': sdo('tool', name='nmap', tool_types=['information-gathering']),
 'vulnerability': sdo('vulnerability', name='CVE-2021-44228', external_references=[{'source_name':'cve','external_id':'CVE-2021-44228'}]),
 'relationship': sdo('relationship', relationship_type='uses', source_ref=i('intrusion-set'), target_ref=i('malware'), start_time=TS, stop_time=TS2),
 'sighting': sdo('sighting', sighting_of_ref=i('indicator'), count=2, where_sighted_refs=[ident, i('location')], observed_data_refs=[i('observed-data')], first_seen=TS, last_seen=TS2),
 'artifact': sco('artifact', mime_type='application/zip', payload_bin='UEsDBA==', encryption_algorithm='mime-type-indicated'),
 'autonomous-system': sco('autonomous-system', number=15139, name='Slime Industries', rir='ARIN'),
 'directory': sco('directory', path='C:\\Windows\\System32', contains_refs=[i('file')]),
 'domain-name': sco('domain-name', value='example.com', resolves_to_refs=[i('ipv4-addr')]),
 'email-addr': sco('email-addr', value='john@example.com', display_name='John', belongs_to_ref=i('user-account')),
 'email-message': sco('email-message', is_multipart=True, date=TS, from_ref=i('email-addr'), to_refs=[i('email-addr')], subject='hi', body_multipart=[{'content_type':'text/plain','body':'hello'},{'content_type':'application/zip','body_raw_ref':i('artifact')}]),
 'file': sco('file', name='a.exe', hashes={'SHA-256':'a'*64,'MD5':'b'*32}, size=100, parent_directory_ref=i('directory'), extensions={'windows-pebinary-ext':{'pe_type':'exe','number_of_sections':4},'archive-ext':{'contains_refs':[i('file')]}}),
 'ipv4-addr': sco('ipv4-addr', value='198.51.100.3', resolves_to_refs=[i('mac-addr')], belongs_to_refs=[i('autonomous-system')]),
 'ipv6-addr': sco('ipv6-addr', value='2001:0db8::1'),
 'mac-addr': sco('mac-addr', value='d2:fb:49:24:37:18'),
 'mutex': sco('mutex', name='__CLEANSWEEP__'),
 'network-traffic': sco('network-traffic', src_ref=i('ipv4-addr'), dst_ref=i('domain-name'), dst_port=443, protocols=['ipv4','tcp'], start=TS, end=TS2, extensions={'socket-ext':{'address_family':'AF_INET','socket_type':'SOCK_STREAM'},'http-request-ext':{'request_method':'get','request_value':'/'}}),
 'process': sco('process', pid=1221, command_line='calc.exe', image_ref=i('file'), extensions={'windows-process-ext':{'integrity_level':'high'}}),
 'software': sco('software', name='Word', vendor='Microsoft', version='2002'),
 'url': sco('url', value='https://example.com/research/index.html'),
 'user-account': sco('user-account', user_id='1001', account_login='jdoe', account_type='unix', extensions={'unix-account-ext':{'gid':1001,'groups':['wheel']}}),
 'windows-registry-key': sco('windows-registry-key', key='HKEY_LOCAL_MACHINE\\System\\Foo', values=[{'name':'Foo','data':'qwerty','data_type':'REG_SZ'}]),
 'x509-certificate': sco('x509-certificate', issuer='C=ZA, O=Thawte', serial_number='02:08:87:83', x509_v3_extensions={'basic_constraints':'critical,CA:TRUE'}),
 'language-content': sdo('language-content', object_ref=i('campaign'), object_modified=TS, contents={'de':{'name':'Bank Angriff'}}),
 'marking-definition-statement': {'type':'marking-definition','spec_version':'2.1','id':i('marking-definition'),'created':TS,'definition_type':'statement','definition':{'statement':'Copyright 2023 ACME'}},
 'marking-definition-tlp1-green': {'type':'marking-definition','spec_version':'2.1','id':'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da','created':'2017-01-20T00:00:00.000Z','definition_type':'tlp','name':'TLP:GREEN','definition':{'tlp':'green'}},
 'marking-definition-tlp2-amber-strict': {'type':'marking-definition','spec_version':'2.1','id':'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003','created':'2022-10-01T00:00:00.000Z','name':'TLP:AMBER+STRICT','extensions':{'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d':{'extension_type':'property-extension','tlp_2_0':'amber+strict'}}},
 'extension-definition': sdo('extension-definition', created_by_ref=ident, name='ext', schema='https://example.com/schema.json', version='1.0', extension_types=['property-extension']),
 'property-extension': sdo('tool', name='t2', extensions={'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e':{'extension_type':'property-extension','rank':5}}),
 'new-sdo-extension': sdo('my-favourite-sdo', name='mine', extensions={'extension-definition--9c59fd79-4215-4ba2-920d-3e4f320e1e62':{'extension_type':'new-sdo'}}),
 'ipv4-cidr': sco('ipv4-addr', value='198.51.100.0/24'),
 'ipv6-cidr': sco('ipv6-addr', value='2001:db8::/96'),
 'granular-marking': sdo('vulnerability', name='CVE-2021-44228', description='Log4Shell', external_references=[{'source_name':'cve','external_id':'CVE-2021-44228'}], granular_markings=[{'marking_ref':'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da','selectors':['description','external_references.[0].external_id','name']},{'lang':'en','selectors':['external_references']}]),
 'custom-x-object': sdo('x-acme-widget', name='w', x_acme_colour='blue'),
 'x-mitre-tactic': sdo('x-mitre-tactic', name='Initial Access', x_mitre_shortname='initial-access', external_references=[{'source_name':'mitre-attack','external_id':'TA0001','url':'https://attack.mitre.org/tactics/TA0001'}]),
}
for k,o in valid.items():
    json.dump(o, open(f'{D}/valid/{k}.json','w'), indent=1)
# invalid: (name, object, [(path, message)])
def bad(base, **kw):
    o=json.loads(json.dumps(valid[base]))
    for k,v in kw.items():
        if v is None: o.pop(k,None)
        else: o[k]=v
    return o
inv = [
 ('missing-name', bad('attack-pattern', name=None), [('name','required property missing')]),
 ('wrong-id-prefix', bad('campaign', id=i('tool')), [('id','identifier type does not match "campaign"')]),
 ('bad-uuid', bad('campaign', id='campaign--1234'), [('id','not a STIX identifier (type--UUID)')]),
 ('bad-timestamp', bad('indicator', valid_from='2023-01-02 03:04:05'), [('valid_from','not a STIX timestamp')]),
 ('timestamp-no-z', bad('indicator', created='2023-01-02T03:04:05.000+01:00'), [('created','not a STIX timestamp')]),
 ('modified-before-created', bad('identity', modified='2022-01-01T00:00:00.000Z'), [('modified','must be later than or equal to created')]),
 ('valid-until-before', bad('indicator', valid_until='2022-01-01T00:00:00.000Z'), [('valid_until','must be later than valid_from')]),
 ('unknown-spec-version', bad('tool', spec_version='2.2'), [('spec_version','unknown spec_version "2.2"')]),
 ('no-spec-version', bad('tool', spec_version=None), [('spec_version','required property missing')]),
 ('rel-to-sro', bad('relationship', target_ref=i('sighting')), [('target_ref','must reference SDO or SCO, not sighting')]),
 ('rel-to-marking', bad('relationship', source_ref='marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'), [('source_ref','must reference SDO or SCO, not marking-definition')]),
 ('sighting-of-sco', bad('sighting', sighting_of_ref=i('ipv4-addr')), [('sighting_of_ref','must reference SDO, not ipv4-addr')]),
 ('where-sighted', bad('sighting', where_sighted_refs=[i('malware')]), [('where_sighted_refs[0]','must reference identity or location, not malware')]),
 ('created-by-ref', bad('tool', created_by_ref=i('malware')), [('created_by_ref','must reference identity, not malware')]),
 ('marking-refs', bad('tool', object_marking_refs=[i('identity')]), [('object_marking_refs[0]','must reference marking-definition, not identity')]),
 ('observed-refs-sdo', bad('observed-data', object_refs=[i('malware')]), [('object_refs[0]','must reference SRO or SCO, not malware')]),
 ('opinion-enum', bad('opinion', opinion='maybe'), [('opinion','"maybe" is not an allowed value')]),
 ('confidence-range', bad('report', confidence=101), [('confidence','out of range 0..100')]),
 ('labels-type', bad('report', labels='a'), [('labels','not a list')]),
 ('empty-list', bad('report', object_refs=[]), [('object_refs','empty list')]),
 ('malware-is-family', bad('malware', is_family='yes'), [('is_family','not a boolean')]),
 ('malware-no-family', bad('malware', is_family=None), [('is_family','required property missing')]),
 ('kcp', bad('attack-pattern', kill_chain_phases=[{'kill_chain_name':'k'}]), [('kill_chain_phases[0].phase_name','required property missing')]),
 ('extref-cve', bad('vulnerability', external_references=[{'source_name':'cve','external_id':'2021-44228'}]), [('external_references[0].external_id','not a CVE identifier')]),
 ('extref-empty', bad('vulnerability', external_references=[{'source_name':'x'}]), [('external_references[0]','needs one of description, url or external_id')]),
 ('hash-md5', bad('file', hashes={'MD5':'xyz'}), [('hashes.MD5','not a MD5 hash (32 hex digits)')]),
 ('file-no-name', bad('file', name=None, hashes=None, extensions=None), [('','a file needs hashes or name')]),
 ('location-none', bad('location', latitude=None, longitude=None, precision=None, country=None), [('','a location needs region, country, or latitude and longitude')]),
 ('latitude-range', bad('location', latitude=91.0), [('latitude','out of range -90..90')]),
 ('nt-no-endpoint', bad('network-traffic', src_ref=None, dst_ref=None), [('','needs src_ref or dst_ref')]),
 ('nt-port', bad('network-traffic', dst_port=70000), [('dst_port','out of range 0..65535')]),
 ('socket-enum', bad('network-traffic', extensions={'socket-ext':{'address_family':'AF_FOO'}}), [('extensions.socket-ext.address_family','"AF_FOO" is not an allowed value')]),
 ('unknown-ext', bad('file', extensions={'foo-ext':{'a':1}}), [('extensions.foo-ext','unknown extension for file')]),
 ('artifact-enc', bad('artifact', encryption_algorithm='ROT13'), [('encryption_algorithm','"ROT13" is not an allowed value')]),
 ('email-multipart', bad('email-message', body='x'), [('body','must not be present when is_multipart is true')]),
 ('process-empty', {'type':'process','id':i('process')}, [('','needs at least one property besides the common ones')]),
 ('unknown-type', {'type':'widget','spec_version':'2.1','id':i('widget'),'created':TS,'modified':TS}, [('type','unknown STIX type "widget" (custom types start with "x-")')]),
 ('bad-prop-name', bad('tool', **{'x-bad':1}), [('x-bad','invalid property name')]),
 ('tlp1-wrong-id', bad('marking-definition-tlp1-green', id='marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'), [('id','TLP:green must use id marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da')]),
 ('tlp2-wrong-id', bad('marking-definition-tlp2-amber-strict', id='marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'), [('id','TLP:amber+strict must use id marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003')]),
 ('tlp1-level', bad('marking-definition-tlp1-green', definition={'tlp':'clear'}), [('definition.tlp','not a TLP 1.0 level (white, green, amber, red)')]),
 ('statement-missing', bad('marking-definition-statement', definition={'text':'x'}), [('definition.statement','required string missing')]),
 ('extdef-types', bad('extension-definition', extension_types=['new-thing']), [('extension_types[0]','"new-thing" is not an allowed value')]),
 ('extdef-creator', bad('extension-definition', created_by_ref=None), [('created_by_ref','required property missing')]),
 ('lc-ref', bad('language-content', object_ref=i('language-content')), [('object_ref','must reference SDO or SRO or SCO or marking-definition or extension-definition, not language-content')]),
 ('gm-selector', bad('tool', granular_markings=[{'marking_ref':i('identity'),'selectors':['name']}]), [('granular_markings[0].marking_ref','must reference marking-definition, not identity')]),
 ('bundle-in-bundle', {'type':'bundle','id':i('bundle')}, [('type','a bundle is not allowed as an object')]),
 ('od-both', bad('observed-data', objects={'0':{'type':'ipv4-addr','value':'1.2.3.4'}}), [('object_refs','must not be present with objects')]),
 ('as-number', bad('autonomous-system', number='15139'), [('number','not an integer')]),
 ('bad-pattern', bad('indicator', pattern="[ipv4-addr:value = ]"), [('pattern','invalid STIX pattern:')]),
 ('pattern-other-type', bad('indicator', pattern_type='snort', pattern="[ipv4-addr:value = ]", valid_from=None), [('valid_from','required property missing')]),
 ('ext-name', bad('tool', extensions={'foo':{'a':1}}), [('extensions.foo','not an extension name (NAME-ext or an extension-definition identifier)')]),
 ('ext-type-missing', bad('tool', extensions={'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e':{'rank':5}}), [('extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e.extension_type','required property missing')]),
 ('ipv4-value', bad('ipv4-addr', value='198.51.100.300'), [('value','not an IPv4 address or CIDR block')]),
 ('ipv4-cidr', bad('ipv4-addr', value='198.51.100.0/33'), [('value','not an IPv4 address or CIDR block')]),
 ('ipv6-value', bad('ipv6-addr', value='2001:db8::g'), [('value','not an IPv6 address or CIDR block')]),
 ('mac-upper', bad('mac-addr', value='D2:FB:49:24:37:18'), [('value','not a lower-case colon-separated MAC-48 address')]),
 ('selector', bad('vulnerability', granular_markings=[{'marking_ref':'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da','selectors':['description','external_references.[1].external_id']}]), [('granular_markings[0].selectors[0]','selects nothing in this object'),('granular_markings[0].selectors[1]','selects nothing in this object')]),
 ('rel-type', bad('relationship', relationship_type='Uses It'), [('relationship_type',"only a-z, 0-9 and '-' allowed")]),
]
for name,o,exp in inv:
    json.dump({'expect':[{'path':p,'message':m} for p,m in exp],'object':o}, open(f'{D}/invalid/{name}.json','w'), indent=1)
print(len(valid), len(inv))
